-- One-time enrollment tokens of device agents (acl-service). Only the SHA-256 of a token is stored: the token
-- itself (32 random bytes) is shown once to the admin who created it. A token is for one device of one tenant,
-- expires soon and is redeemed at most once (redeemed_at set by the broker's login, atomically).
CREATE TABLE agent_enrollment_tokens (
    token_sha256 CHAR(64) PRIMARY KEY CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
    tenant       VARCHAR(63) NOT NULL CHECK (tenant ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    guid         CHAR(36) NOT NULL CHECK (guid ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'),
    created_by   VARCHAR(200) NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    redeemed_at  TIMESTAMPTZ NULL,
    CHECK (expires_at > created_at)
);
CREATE INDEX agent_enrollment_tokens_guid ON agent_enrollment_tokens (guid);
