-- Users and service accounts (acl-service). Passwords are stored only as Argon2id PHC strings.
CREATE TABLE accounts (
    name                VARCHAR(64)  PRIMARY KEY,
    kind                VARCHAR(16)  NOT NULL CHECK (kind IN ('user', 'service')),
    superuser           BOOLEAN      NOT NULL DEFAULT FALSE,
    password_hash       VARCHAR(256) NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    created_at          TIMESTAMPTZ  NOT NULL DEFAULT now(),
    password_changed_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);
