-- Audit trail (audit-sink): append-only, hash-chained per stream, anchored by signed checkpoints.
-- docs/audit.md explains the chain, the canonical bytes and how to verify.

-- Every stream (the Kafka key of amtbus.audit, e.g. broker-1) once. Writers lock its row
-- (SELECT ... FOR UPDATE) so one stream is chained by one transaction at a time.
CREATE TABLE audit_streams (
    stream     VARCHAR(128) PRIMARY KEY,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- One row per accepted event. event_bytes is the Kafka record value exactly as received (the
-- canonical bytes the hash covers); the other event columns are copies for search, checked
-- against event_bytes by the verifier.
CREATE TABLE audit_events (
    stream      VARCHAR(128) NOT NULL REFERENCES audit_streams (stream),
    seq         BIGINT       NOT NULL CHECK (seq >= 1),
    position    BIGINT       GENERATED ALWAYS AS IDENTITY,
    event_id    UUID         NOT NULL,
    event_time  TIMESTAMPTZ  NOT NULL,
    type        VARCHAR(64)  NOT NULL,
    actor_kind  VARCHAR(16)  NOT NULL,
    actor_name  VARCHAR(128) NOT NULL,
    outcome     VARCHAR(16)  NOT NULL,
    event_bytes BYTEA        NOT NULL,
    prev_hash   BYTEA        NOT NULL CHECK (octet_length(prev_hash) = 32),
    hash        BYTEA        NOT NULL CHECK (octet_length(hash) = 32),
    stored_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (stream, seq),
    -- a redelivered Kafka record is recognised by its event id and never stored twice
    CONSTRAINT audit_events_event_id UNIQUE (event_id)
);

CREATE INDEX audit_events_position ON audit_events (position);
CREATE INDEX audit_events_time ON audit_events (event_time);
CREATE INDEX audit_events_type_time ON audit_events (type, event_time);
CREATE INDEX audit_events_actor_time ON audit_events (actor_name, event_time);

-- Public halves of the checkpoint signing keys (ECDSA P-384, X.509 SubjectPublicKeyInfo DER).
-- key_id is the lowercase hex SHA-256 of public_key. The private half lives in the secret store only.
CREATE TABLE audit_keys (
    key_id     CHAR(64)    PRIMARY KEY,
    public_key BYTEA       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Signed statements "stream S had head (seq, hash) at time T, after the checkpoint at prev_seq".
CREATE TABLE audit_checkpoints (
    stream     VARCHAR(128) NOT NULL REFERENCES audit_streams (stream),
    seq        BIGINT       NOT NULL CHECK (seq >= 1),
    prev_seq   BIGINT       NOT NULL CHECK (prev_seq >= 0 AND prev_seq < seq),
    hash       BYTEA        NOT NULL CHECK (octet_length(hash) = 32),
    signed_at  TIMESTAMPTZ  NOT NULL,
    key_id     CHAR(64)     NOT NULL REFERENCES audit_keys (key_id),
    signature  BYTEA        NOT NULL,
    PRIMARY KEY (stream, seq)
);

-- Kafka records that were not valid audit events: where they were and why, never their payload
-- (an invalid record may hold anything, a secret included); payload_sha256 lets an operator match
-- a copy taken from Kafka.
CREATE TABLE audit_rejected (
    topic          VARCHAR(249) NOT NULL,
    kafka_partition INTEGER     NOT NULL,
    kafka_offset   BIGINT       NOT NULL,
    stream         VARCHAR(128),
    reason         VARCHAR(1024) NOT NULL,
    payload_size   INTEGER      NOT NULL,
    payload_sha256 BYTEA        NOT NULL,
    rejected_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, kafka_partition, kafka_offset)
);

-- Append-only: UPDATE, DELETE and TRUNCATE are refused for everyone, the application included.
-- The table owner or a superuser can still disable these triggers; the hash chain and the signed
-- checkpoints are what make such a change visible (see docs/audit.md, "Pruning").
CREATE FUNCTION audit_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'audit tables are append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_streams_append_only BEFORE UPDATE OR DELETE ON audit_streams
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_streams_no_truncate BEFORE TRUNCATE ON audit_streams
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_keys_append_only BEFORE UPDATE OR DELETE ON audit_keys
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_keys_no_truncate BEFORE TRUNCATE ON audit_keys
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_rejected_append_only BEFORE UPDATE OR DELETE ON audit_rejected
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_rejected_no_truncate BEFORE TRUNCATE ON audit_rejected
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

-- ENABLE ALWAYS: the triggers fire even with session_replication_role = replica, so only an
-- explicit ALTER TABLE ... DISABLE TRIGGER (table owner or superuser) bypasses them.
ALTER TABLE audit_streams ENABLE ALWAYS TRIGGER audit_streams_append_only;
ALTER TABLE audit_streams ENABLE ALWAYS TRIGGER audit_streams_no_truncate;
ALTER TABLE audit_events ENABLE ALWAYS TRIGGER audit_events_append_only;
ALTER TABLE audit_events ENABLE ALWAYS TRIGGER audit_events_no_truncate;
ALTER TABLE audit_keys ENABLE ALWAYS TRIGGER audit_keys_append_only;
ALTER TABLE audit_keys ENABLE ALWAYS TRIGGER audit_keys_no_truncate;
ALTER TABLE audit_checkpoints ENABLE ALWAYS TRIGGER audit_checkpoints_append_only;
ALTER TABLE audit_checkpoints ENABLE ALWAYS TRIGGER audit_checkpoints_no_truncate;
ALTER TABLE audit_rejected ENABLE ALWAYS TRIGGER audit_rejected_append_only;
ALTER TABLE audit_rejected ENABLE ALWAYS TRIGGER audit_rejected_no_truncate;
