-- Topic-level grants (acl-service): a level 0-3 per account and MQTT topic pattern.
-- 0 none (an explicit deny), 1 subscribe, 2 publish, 3 both. No row means no access.
CREATE TABLE grants (
    account    VARCHAR(64)  NOT NULL REFERENCES accounts (name) ON DELETE CASCADE,
    pattern    VARCHAR(256) NOT NULL,
    level      SMALLINT     NOT NULL CHECK (level BETWEEN 0 AND 3),
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (account, pattern)
);
