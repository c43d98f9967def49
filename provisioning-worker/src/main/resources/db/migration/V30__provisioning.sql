-- Provisioning (provisioning-worker): profiles, domains and one row per device being or having been provisioned.
-- Secrets (a domain's .pfx and its password, the devices' passwords) are in the secret store, never here:
-- domains/<name>/pfx, domains/<name>/pfx-password, devices/<guid>/...

-- What a machine becomes: control mode, CIRA configuration, user consent, network, tags.
CREATE TABLE provisioning_profiles (
    tenant            varchar(63)  NOT NULL CHECK (tenant ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name              varchar(64)  NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    control_mode      varchar(3)   NOT NULL CHECK (control_mode IN ('acm', 'ccm')),
    mps_address       varchar(255) NOT NULL,
    mps_port          integer      NOT NULL CHECK (mps_port BETWEEN 1 AND 65535),
    mps_common_name   varchar(255),
    -- PEM of the CA the device must trust for the MPS; NULL = the node CA
    mps_root_pem      text,
    periodic_seconds  integer      NOT NULL CHECK (periodic_seconds >= 0),
    user_initiated    boolean      NOT NULL,
    user_consent      varchar(4)   NOT NULL CHECK (user_consent IN ('none', 'kvm', 'all')),
    network           varchar(6)   NOT NULL CHECK (network IN ('dhcp', 'static')),
    -- static only: address, prefix length, gateway, DNS servers
    ipv4_address      varchar(15),
    ipv4_prefix       integer      CHECK (ipv4_prefix BETWEEN 1 AND 32),
    ipv4_gateway      varchar(15),
    dns_servers       text[]       NOT NULL DEFAULT '{}',
    tags              text[]       NOT NULL DEFAULT '{}',
    created_at        timestamptz  NOT NULL DEFAULT now(),
    changed_at        timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, name),
    CHECK (periodic_seconds > 0 OR user_initiated),
    CHECK (network = 'dhcp' OR (ipv4_address IS NOT NULL AND ipv4_prefix IS NOT NULL))
);

-- ACM provisioning certificates, chosen by the DNS suffix the device reports. The name is global because
-- it names the secrets (domains/<name>/...); the suffix is unique per tenant.
CREATE TABLE provisioning_domains (
    name              varchar(64)  PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
    tenant            varchar(63)  NOT NULL CHECK (tenant ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    dns_suffix        varchar(253) NOT NULL,
    leaf_subject      varchar(512) NOT NULL,
    root_sha256       char(64)     NOT NULL,
    expires_at        timestamptz  NOT NULL,
    created_at        timestamptz  NOT NULL DEFAULT now(),
    changed_at        timestamptz  NOT NULL DEFAULT now(),
    UNIQUE (tenant, dns_suffix)
);

-- One row per device the worker holds: 'running' while a request is applied (a second request is refused),
-- 'provisioned' once it succeeded (a repeat with the same profile answers succeeded without redoing).
-- A failed run deletes its row with everything else it made.
CREATE TABLE provisioning_runs (
    guid         uuid        PRIMARY KEY,
    tenant       varchar(63) NOT NULL,
    profile      varchar(64) NOT NULL,
    state        varchar(16) NOT NULL CHECK (state IN ('running', 'provisioned')),
    request_id   uuid        NOT NULL,
    control_mode varchar(3)  NOT NULL CHECK (control_mode IN ('acm', 'ccm')),
    started_at   timestamptz NOT NULL DEFAULT now(),
    changed_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX provisioning_runs_tenant ON provisioning_runs (tenant, guid);
