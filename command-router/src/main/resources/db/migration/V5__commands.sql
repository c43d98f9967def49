-- The command ledger (command-router): one row per accepted command id, so a repeated id is never executed
-- twice and every command ends in exactly one terminal result.
--   accepted  -> validated and authorized, not yet sent anywhere
--   forwarded -> written to the gateway topic; deadline_at bounds the wait for its result
--   terminal  -> its one result is decided (status, result); published once it is on amtbus.results
-- source is the Kafka record (topic/partition/offset) the command was accepted from: the same record read again
-- after a restart is a redelivery (stay silent), another record with the same id is a repeat (show the result).
CREATE TABLE commands (
    command_id  uuid         PRIMARY KEY,
    tenant      varchar(63)  NOT NULL,
    guid        uuid         NOT NULL,
    action      varchar(32)  NOT NULL,
    principal   varchar(128),
    source      varchar(160),
    accepted_at timestamptz  NOT NULL DEFAULT now(),
    state       varchar(16)  NOT NULL CHECK (state IN ('accepted', 'forwarded', 'terminal')),
    gateway_id  varchar(63),
    deadline_at timestamptz,
    status      varchar(16),
    result      bytea,
    published   boolean      NOT NULL DEFAULT false,
    CHECK ((state = 'terminal') = (status IS NOT NULL AND result IS NOT NULL))
);

CREATE INDEX commands_waiting ON commands (deadline_at) WHERE state = 'forwarded';
CREATE INDEX commands_unpublished ON commands (accepted_at) WHERE state = 'terminal' AND NOT published;
CREATE INDEX commands_accepted_at ON commands (accepted_at);
