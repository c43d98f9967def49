package org.amtbus.audit.verify;

import java.io.IOException;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import javax.sql.DataSource;
import org.amtbus.audit.chain.AuditChain;
import org.amtbus.audit.chain.Hex;
import org.amtbus.audit.chain.StreamId;
import org.amtbus.audit.checkpoint.Checkpoint;
import org.amtbus.audit.checkpoint.CheckpointKey;
import org.amtbus.audit.store.AuditStoreException;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the whole audit trail: for every stream, that the events form one unbroken chain from seq 1
 * (or from a signed checkpoint a pruned prefix ended at), that every event's bytes hash to its stored
 * hash and match its search columns, and that every checkpoint is validly signed by a trusted key, names
 * the checkpoint before it and matches the chain's hash at its seq. It reports the first problem of each
 * stream, named ({@link Problem.Kind}) and placed (seq).
 *
 * <p>Invariants: reads only, in one read-only REPEATABLE READ transaction (one snapshot: the sink may
 * keep writing meanwhile); events and checkpoints are streamed, so memory does not grow with the trail.
 * What it cannot see: events cut from the end after the last checkpoint, or a whole trail replaced
 * together with its key, unless the caller passes the trusted public keys (see docs/audit.md).
 * Thread-safe; blocking.
 */
public final class AuditVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(AuditVerifier.class);
    private static final int FETCH_SIZE = 1_000;
    /** PostgreSQL keeps microseconds and rounds; an event time may carry nanoseconds. */
    private static final Duration TIME_TOLERANCE = Duration.ofNanos(999);

    private final DataSource dataSource;

    public AuditVerifier(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** Verifies with the public keys stored in {@code audit_keys} (detects edits by anyone without the signing key). */
    public VerificationResult verify() {
        return run(Optional.empty());
    }

    /**
     * Verifies trusting only {@code trustedKeys} (exported earlier, kept apart from the database): also
     * detects a trail re-signed with a key someone slipped into {@code audit_keys}.
     */
    public VerificationResult verify(Collection<PublicKey> trustedKeys) {
        return run(Optional.of(List.copyOf(trustedKeys)));
    }

    private VerificationResult run(Optional<List<PublicKey>> trusted) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                Map<String, PublicKey> keys = keys(c, trusted);
                List<StreamVerification> streams = new ArrayList<>();
                for (StreamId stream : streams(c)) {
                    StreamVerification result = new StreamCheck(c, stream, keys).run();
                    result.problem().ifPresent(p -> LOG.warn("event=audit.verify-failed kind={} stream={} seq={} detail={}",
                            p.kind(), p.stream(), p.seq(), p.detail()));
                    streams.add(result);
                }
                c.commit();
                VerificationResult result = new VerificationResult(streams);
                LOG.info("event=audit.verified streams={} events={} checkpoints={} intact={}", streams.size(),
                        result.events(), result.checkpoints(), result.intact());
                return result;
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new AuditStoreException("could not read the audit trail for verification (" + e.getSQLState() + ")", e);
        }
    }

    private static Map<String, PublicKey> keys(Connection c, Optional<List<PublicKey>> trusted) throws SQLException {
        Map<String, PublicKey> keys = new HashMap<>();
        if (trusted.isPresent()) {
            trusted.get().forEach(key -> keys.put(CheckpointKey.keyId(key), key));
            return keys;
        }
        try (PreparedStatement st = c.prepareStatement("SELECT key_id, public_key FROM audit_keys");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                try {
                    PublicKey key = CheckpointKey.publicKey(rs.getBytes(2));
                    // a key row whose id is not its own hash is not trusted under either name
                    if (CheckpointKey.keyId(key).equals(rs.getString(1))) {
                        keys.put(rs.getString(1), key);
                    }
                } catch (IllegalArgumentException e) {
                    LOG.warn("event=audit.verify-bad-key keyId={}", rs.getString(1));
                }
            }
        }
        return keys;
    }

    private static List<StreamId> streams(Connection c) throws SQLException {
        String sql = "SELECT stream FROM audit_streams UNION SELECT DISTINCT stream FROM audit_events"
                + " UNION SELECT DISTINCT stream FROM audit_checkpoints ORDER BY 1";
        List<StreamId> streams = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                streams.add(new StreamId(rs.getString(1)));
            }
        }
        return streams;
    }

    /** One stored event as read for verification. */
    private record EventRow(long seq, UUID eventId, Instant time, String type, String actorKind, String actorName,
                            String outcome, byte[] bytes, byte[] prevHash, byte[] hash) {
    }

    /** Verification of one stream: a merge of its event and checkpoint cursors in seq order. */
    private static final class StreamCheck {
        private final Connection c;
        private final StreamId stream;
        private final Map<String, PublicKey> keys;
        private long events;
        private long firstSeq;
        private long checkpoints;
        private long lastCheckpointSeq;
        private long expectedSeq = 1;
        private byte[] head;
        private byte[] beforeHead; // hash of the event before the head, for spotting an inserted event
        private EventCursor cursor;

        StreamCheck(Connection c, StreamId stream, Map<String, PublicKey> keys) {
            this.c = c;
            this.stream = stream;
            this.keys = keys;
            this.head = AuditChain.genesis(stream);
        }

        StreamVerification run() throws SQLException {
            Optional<Problem> problem;
            try (EventCursor events = new EventCursor(c, stream);
                 PreparedStatement st = c.prepareStatement("SELECT seq, prev_seq, hash, signed_at, key_id, signature"
                         + " FROM audit_checkpoints WHERE stream = ? ORDER BY seq")) {
                this.cursor = events;
                st.setFetchSize(FETCH_SIZE);
                st.setString(1, stream.value());
                try (ResultSet cps = st.executeQuery()) {
                    problem = check(cps);
                }
            }
            return new StreamVerification(stream, events, firstSeq, expectedSeq - 1 < firstSeq ? 0 : expectedSeq - 1,
                    checkpoints, lastCheckpointSeq, problem);
        }

        private Optional<Problem> check(ResultSet cps) throws SQLException {
            Checkpoint cp = nextCheckpoint(cps);
            EventRow first = cursor.peek();
            if (first != null && first.seq() > 1) {
                // a pruned prefix is accepted only where a valid checkpoint anchors the rest
                while (cp != null && cp.seq() < first.seq() - 1) {
                    Optional<Problem> p = checkSignatureAndLink(cp);
                    if (p.isPresent()) {
                        return p;
                    }
                    cp = nextCheckpoint(cps);
                }
                if (cp == null || cp.seq() != first.seq() - 1) {
                    return problem(Problem.Kind.DELETED, 1, "events 1 to " + (first.seq() - 1)
                            + " are missing and no checkpoint anchors a pruned prefix");
                }
                Optional<Problem> p = checkSignatureAndLink(cp);
                if (p.isPresent()) {
                    return p;
                }
                head = cp.hash();
                expectedSeq = first.seq();
                cp = nextCheckpoint(cps);
            }
            firstSeq = first == null ? 0 : first.seq();
            while (cp != null) {
                while (cursor.peek() != null && cursor.peek().seq() <= cp.seq()) {
                    Optional<Problem> p = checkEvent(cursor.next());
                    if (p.isPresent()) {
                        return p;
                    }
                }
                Optional<Problem> p = checkCheckpoint(cp);
                if (p.isPresent()) {
                    return p;
                }
                cp = nextCheckpoint(cps);
            }
            while (cursor.peek() != null) {
                Optional<Problem> p = checkEvent(cursor.next());
                if (p.isPresent()) {
                    return p;
                }
            }
            return Optional.empty();
        }

        private Optional<Problem> checkEvent(EventRow row) throws SQLException {
            long seq = expectedSeq;
            if (row.seq() > seq) {
                return problem(Problem.Kind.DELETED, seq, row.seq() == seq + 1 ? "event " + seq + " is missing"
                        : "events " + seq + " to " + (row.seq() - 1) + " are missing");
            }
            boolean linkOk = Arrays.equals(row.prevHash(), head);
            boolean selfOk = Arrays.equals(AuditChain.link(row.prevHash(), row.bytes(), row.seq()), row.hash());
            if (linkOk && selfOk) {
                Optional<String> column = columnMismatch(row);
                if (column.isPresent()) {
                    return problem(Problem.Kind.EDITED, seq, "column " + column.get()
                            + " differs from the hashed event bytes");
                }
                beforeHead = head;
                head = row.hash();
                expectedSeq++;
                events++;
                return Optional.empty();
            }
            return Optional.of(classify(row, linkOk, selfOk));
        }

        /** Names what happened at {@code row}, the first event that does not fit the chain. */
        private Problem classify(EventRow row, boolean linkOk, boolean selfOk) throws SQLException {
            long seq = row.seq();
            EventRow next = cursor.peek();
            if (!linkOk) {
                OptionalLong holder = seqWithHash(row.prevHash());
                if (holder.isPresent() && holder.getAsLong() > seq) {
                    return new Problem(Problem.Kind.REORDERED, stream, seq, "event " + seq
                            + " links to the event stored at seq " + holder.getAsLong());
                }
            }
            if (next != null && Arrays.equals(next.prevHash(), head)) {
                return new Problem(Problem.Kind.INSERTED, stream, seq, "event " + seq
                        + " is not part of the chain: event " + next.seq() + " links to event " + (seq - 1));
            }
            if (!selfOk && next != null
                    && Arrays.equals(AuditChain.link(next.prevHash(), row.bytes(), next.seq()), next.hash())) {
                return new Problem(Problem.Kind.REORDERED, stream, seq, "the event stored at seq " + seq
                        + " was chained at seq " + next.seq());
            }
            if (!linkOk) {
                if (beforeHead != null && Arrays.equals(row.prevHash(), beforeHead)) {
                    return new Problem(Problem.Kind.INSERTED, stream, seq - 1, "event " + (seq - 1)
                            + " is not part of the chain: event " + seq + " links to event " + (seq - 2));
                }
                if (Arrays.equals(AuditChain.link(row.prevHash(), row.bytes(), seq + 1), row.hash())) {
                    return new Problem(Problem.Kind.DELETED, stream, seq, "event " + seq
                            + " was removed and the events after it renumbered");
                }
                if (selfOk) {
                    return new Problem(Problem.Kind.EDITED, stream, seq - 1, "event " + (seq - 1)
                            + " was replaced: event " + seq + " links to hash " + Hex.of(row.prevHash()));
                }
                return new Problem(Problem.Kind.EDITED, stream, seq, "event " + seq
                        + " neither links to event " + (seq - 1) + " nor hashes to its stored hash");
            }
            return new Problem(Problem.Kind.EDITED, stream, seq, "event " + seq
                    + " no longer hashes to its stored hash " + Hex.of(row.hash()));
        }

        private Optional<String> columnMismatch(EventRow row) {
            AuditEvent event;
            try {
                event = Json.read(row.bytes(), AuditEvent.class);
            } catch (IOException | RuntimeException e) {
                return Optional.of("event_bytes (not an audit event)");
            }
            if (!event.id().equals(row.eventId())) {
                return Optional.of("event_id");
            }
            if (Duration.between(event.time(), row.time()).abs().compareTo(TIME_TOLERANCE) > 0) {
                return Optional.of("event_time");
            }
            if (!event.type().equals(row.type())) {
                return Optional.of("type");
            }
            if (!event.actor().kind().wireName().equals(row.actorKind())) {
                return Optional.of("actor_kind");
            }
            if (!event.actor().name().equals(row.actorName())) {
                return Optional.of("actor_name");
            }
            if (!event.outcome().wireName().equals(row.outcome())) {
                return Optional.of("outcome");
            }
            return Optional.empty();
        }

        private Optional<Problem> checkCheckpoint(Checkpoint cp) {
            Optional<Problem> p = checkSignatureAndLink(cp);
            if (p.isPresent()) {
                return p;
            }
            long chainEnd = expectedSeq - 1;
            if (cp.seq() > chainEnd) {
                return problem(Problem.Kind.TRUNCATED, cp.seq(), "a checkpoint covers seq " + cp.seq()
                        + " but the chain ends at seq " + chainEnd);
            }
            if (!Arrays.equals(cp.hash(), head)) {
                return problem(Problem.Kind.CHECKPOINT_MISMATCH, cp.seq(), "the checkpoint signs hash "
                        + Hex.of(cp.hash()) + " but the chain has " + Hex.of(head) + " at seq " + cp.seq());
            }
            return Optional.empty();
        }

        private Optional<Problem> checkSignatureAndLink(Checkpoint cp) {
            PublicKey key = keys.get(cp.keyId());
            if (key == null) {
                return problem(Problem.Kind.UNTRUSTED_KEY, cp.seq(), "the checkpoint is signed by key " + cp.keyId()
                        + ", which is not trusted");
            }
            if (!CheckpointKey.verify(key, cp.statement(), cp.signature())) {
                return problem(Problem.Kind.BAD_SIGNATURE, cp.seq(), "the checkpoint's signature does not verify with key "
                        + cp.keyId());
            }
            if (cp.prevSeq() != lastCheckpointSeq) {
                return problem(Problem.Kind.CHECKPOINT_MISSING, cp.seq(), "the checkpoint follows one at seq "
                        + cp.prevSeq() + " but the checkpoint before it is at seq " + lastCheckpointSeq);
            }
            lastCheckpointSeq = cp.seq();
            checkpoints++;
            return Optional.empty();
        }

        private Checkpoint nextCheckpoint(ResultSet rs) throws SQLException {
            if (!rs.next()) {
                return null;
            }
            return new Checkpoint(stream, rs.getLong(1), rs.getLong(2), rs.getBytes(3),
                    rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getString(5).trim(), rs.getBytes(6));
        }

        private OptionalLong seqWithHash(byte[] hash) throws SQLException {
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT seq FROM audit_events WHERE stream = ? AND hash = ? ORDER BY seq LIMIT 1")) {
                st.setString(1, stream.value());
                st.setBytes(2, hash);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
                }
            }
        }

        private Optional<Problem> problem(Problem.Kind kind, long seq, String detail) {
            return Optional.of(new Problem(kind, stream, seq, detail));
        }
    }

    /** The events of one stream in seq order, with one row of look-ahead. */
    private static final class EventCursor implements AutoCloseable {
        private final PreparedStatement statement;
        private final ResultSet rows;
        private EventRow peeked;
        private boolean done;

        EventCursor(Connection c, StreamId stream) throws SQLException {
            statement = c.prepareStatement("SELECT seq, event_id, event_time, type, actor_kind, actor_name, outcome,"
                    + " event_bytes, prev_hash, hash FROM audit_events WHERE stream = ? ORDER BY seq");
            statement.setFetchSize(FETCH_SIZE);
            statement.setString(1, stream.value());
            rows = statement.executeQuery();
        }

        EventRow peek() throws SQLException {
            if (peeked == null && !done) {
                if (rows.next()) {
                    peeked = new EventRow(rows.getLong(1), rows.getObject(2, UUID.class),
                            rows.getObject(3, OffsetDateTime.class).toInstant(), rows.getString(4), rows.getString(5),
                            rows.getString(6), rows.getString(7), rows.getBytes(8), rows.getBytes(9), rows.getBytes(10));
                } else {
                    done = true;
                }
            }
            return peeked;
        }

        EventRow next() throws SQLException {
            EventRow row = peek();
            peeked = null;
            return row;
        }

        @Override
        public void close() throws SQLException {
            rows.close();
            statement.close();
        }
    }
}
