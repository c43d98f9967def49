-- Devices, gateways and who holds which device (cira-gateway, command-router, provisioning).
-- Secrets (CIRA password, AMT admin password) are in the secret store under devices/<guid>/..., never here.

CREATE TABLE devices (
    guid          uuid        PRIMARY KEY,
    tenant        varchar(63) NOT NULL CHECK (tenant ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    cira_username varchar(64) NOT NULL CHECK (cira_username ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$'),
    hostname      varchar(255),
    tags          text[]      NOT NULL DEFAULT '{}',
    registered_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX devices_tenant ON devices (tenant, guid);

-- One row per gateway, renewed every few seconds. A lease is valid only while its gateway's row is fresh,
-- so device rows change on connect and disconnect only, never per keep-alive.
CREATE TABLE gateways (
    gateway_id   varchar(63) PRIMARY KEY,
    instance_id  uuid        NOT NULL,
    heartbeat_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);

-- Who holds a device now. The newest connection wins (a claim overwrites); a release names its
-- connection id, so a late disconnect of an old connection changes nothing.
CREATE TABLE device_leases (
    guid          uuid        PRIMARY KEY REFERENCES devices (guid) ON DELETE CASCADE,
    gateway_id    varchar(63) NOT NULL REFERENCES gateways (gateway_id),
    connection_id uuid        NOT NULL,
    claimed_at    timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX device_leases_gateway ON device_leases (gateway_id);
