-- amtbus schema, version 1 (platform).
-- One Flyway version sequence for every module: a module adds db/migration/V<next>__<what>.sql to its
-- own jar; numbers are agreed at merge time. A released migration is never edited, only followed.

-- Every amtbus process registers itself here at start and renews heartbeat_at while it runs, so
-- operators (and `amtbus status`) can see which nodes and roles are alive, and a gateway's
-- heartbeat can tell the router whether its device leases are still valid.
CREATE TABLE service_instances (
    instance_id  uuid        PRIMARY KEY,
    roles        text[]      NOT NULL CHECK (cardinality(roles) > 0),
    host         text        NOT NULL,
    version      text        NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now(),
    CHECK (heartbeat_at >= started_at)
);

CREATE INDEX service_instances_heartbeat_at ON service_instances (heartbeat_at);
