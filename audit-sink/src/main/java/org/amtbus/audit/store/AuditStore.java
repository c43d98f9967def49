package org.amtbus.audit.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import org.amtbus.audit.chain.AuditChain;
import org.amtbus.audit.chain.ChainLink;
import org.amtbus.audit.chain.StreamId;
import org.amtbus.schemas.model.AuditEvent;

/**
 * The append-only audit trail in PostgreSQL (tables {@code audit_streams}, {@code audit_events},
 * {@code audit_rejected}; migration {@code V10__audit.sql}).
 *
 * <p>Invariants: each {@link #append} is one transaction (one commit, one fsync, per batch); within
 * it every stream is locked ({@code SELECT ... FOR UPDATE} on its {@code audit_streams} row), its head is
 * read from the table, and new events get the next sequence numbers and chained hashes, so two writers
 * can never fork a chain. An event whose id is already stored is skipped before it gets a sequence
 * number, so a redelivered Kafka record neither duplicates nor leaves a gap. Nothing here updates
 * or deletes (the database refuses it anyway).
 *
 * <p>Thread-safe; methods block on JDBC (call them from the sink's thread or a worker, never an event loop).
 */
public final class AuditStore {

    private static final String INSERT_EVENTS = """
            INSERT INTO audit_events (stream, seq, event_id, event_time, type, actor_kind, actor_name, outcome,
                                      event_bytes, prev_hash, hash)
            SELECT * FROM unnest(?::varchar[], ?::bigint[], ?::uuid[], ?::timestamptz[], ?::varchar[], ?::varchar[],
                                 ?::varchar[], ?::varchar[], ?::bytea[], ?::bytea[], ?::bytea[])
            """;
    private static final String HEADS = """
            SELECT s.stream, e.seq, e.hash
            FROM unnest(?::varchar[]) AS s(stream)
            LEFT JOIN LATERAL (SELECT seq, hash FROM audit_events WHERE stream = s.stream ORDER BY seq DESC LIMIT 1) e
                   ON true
            """;

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String EVENT_ID_CONSTRAINT = "audit_events_event_id";

    private final DataSource dataSource;

    public AuditStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Chains and stores {@code events} (in their order within each stream) and notes {@code rejected},
     * all in one transaction; on any failure nothing is stored and the exception says why.
     *
     * <p>The batch is first inserted as if none of its events were stored yet: the unique index on
     * {@code event_id} checks that anyway, and redeliveries are rare (a crash between the commit and the Kafka
     * offsets). Only when it refuses a duplicate is the transaction rolled back and the batch stored again with
     * every id looked up first, so the events already stored are skipped before they get a sequence number.
     */
    public AppendResult append(List<IncomingEvent> events, List<RejectedRecord> rejected) {
        if (events.isEmpty() && rejected.isEmpty()) {
            return AppendResult.nothing();
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                return appendIn(c, events, rejected, false);
            } catch (SQLException e) {
                c.rollback();
                if (!duplicateEventId(e)) {
                    throw e;
                }
                try {
                    return appendIn(c, events, rejected, true);
                } catch (SQLException | RuntimeException again) {
                    c.rollback();
                    throw again;
                }
            } catch (RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new AuditStoreException("could not store a batch of " + events.size() + " audit events ("
                    + e.getSQLState() + ")", e);
        }
    }

    /** One attempt, committed on success; {@code lookUp}: skip the events whose id is stored already. */
    private static AppendResult appendIn(Connection c, List<IncomingEvent> events, List<RejectedRecord> rejected,
                                         boolean lookUp) throws SQLException {
        List<IncomingEvent> fresh = lookUp ? withoutStored(c, events) : events;
        int stored = fresh.isEmpty() ? 0 : insertChained(c, fresh);
        int noted = insertRejected(c, rejected);
        c.commit();
        return new AppendResult(stored, events.size() - fresh.size(), noted,
                fresh.stream().map(IncomingEvent::event).toList());
    }

    /** Whether {@code e} is the unique index on {@code event_id} refusing an event stored already (or twice in the batch). */
    private static boolean duplicateEventId(SQLException e) {
        return UNIQUE_VIOLATION.equals(e.getSQLState()) && e instanceof org.postgresql.util.PSQLException p
                && p.getServerErrorMessage() != null
                && EVENT_ID_CONSTRAINT.equals(p.getServerErrorMessage().getConstraint());
    }

    /** The last link of a stream, empty when the stream has no events. */
    public Optional<ChainLink> head(StreamId stream) {
        String sql = "SELECT seq, prev_hash, hash FROM audit_events WHERE stream = ? ORDER BY seq DESC LIMIT 1";
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, stream.value());
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(new ChainLink(rs.getLong(1), rs.getBytes(2), rs.getBytes(3)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new AuditStoreException("could not read the head of stream " + stream, e);
        }
    }

    /** Events stored, all streams. */
    public long eventCount() {
        return count("SELECT count(*) FROM audit_events");
    }

    /** Rejected records noted. */
    public long rejectedCount() {
        return count("SELECT count(*) FROM audit_rejected");
    }

    private long count(String sql) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql);
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AuditStoreException("could not count audit rows", e);
        }
    }

    /** The events whose id is neither stored nor earlier in the same batch, in batch order. */
    private static List<IncomingEvent> withoutStored(Connection c, List<IncomingEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return List.of();
        }
        UUID[] ids = events.stream().map(e -> e.event().id()).toArray(UUID[]::new);
        Set<UUID> seen = new HashSet<>();
        try (PreparedStatement st = c.prepareStatement("SELECT event_id FROM audit_events WHERE event_id = ANY(?)")) {
            st.setArray(1, c.createArrayOf("uuid", ids));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    seen.add(rs.getObject(1, UUID.class));
                }
            }
        }
        List<IncomingEvent> fresh = new ArrayList<>(events.size());
        for (IncomingEvent event : events) {
            if (seen.add(event.event().id())) {
                fresh.add(event);
            }
        }
        return fresh;
    }

    private static int insertChained(Connection c, List<IncomingEvent> events) throws SQLException {
        // streams in name order, so two writers always lock them in the same order (no deadlock)
        Map<String, List<IncomingEvent>> byStream = new TreeMap<>();
        for (IncomingEvent event : events) {
            byStream.computeIfAbsent(event.stream().value(), k -> new ArrayList<>()).add(event);
        }
        String[] streams = byStream.keySet().toArray(String[]::new);
        Array streamArray = c.createArrayOf("varchar", streams);
        try (PreparedStatement register = c.prepareStatement(
                "INSERT INTO audit_streams (stream) SELECT unnest(?::varchar[]) ON CONFLICT (stream) DO NOTHING");
             PreparedStatement lock = c.prepareStatement(
                     "SELECT stream FROM audit_streams WHERE stream = ANY(?) ORDER BY stream FOR UPDATE")) {
            register.setArray(1, streamArray);
            register.executeUpdate();
            lock.setArray(1, streamArray);
            lock.executeQuery().close();
        }
        Map<String, AuditChain> chains = heads(c, streamArray);

        int n = events.size();
        String[] streamCol = new String[n];
        Long[] seqCol = new Long[n];
        UUID[] idCol = new UUID[n];
        String[] timeCol = new String[n];
        String[] typeCol = new String[n];
        String[] actorKindCol = new String[n];
        String[] actorNameCol = new String[n];
        String[] outcomeCol = new String[n];
        byte[][] bytesCol = new byte[n][];
        byte[][] prevCol = new byte[n][];
        byte[][] hashCol = new byte[n][];
        int i = 0;
        for (Map.Entry<String, List<IncomingEvent>> entry : byStream.entrySet()) {
            AuditChain chain = chains.get(entry.getKey());
            for (IncomingEvent incoming : entry.getValue()) {
                AuditEvent event = incoming.event();
                ChainLink link = chain.append(incoming.bytes());
                streamCol[i] = entry.getKey();
                seqCol[i] = link.seq();
                idCol[i] = event.id();
                timeCol[i] = event.time().toString();
                typeCol[i] = event.type();
                actorKindCol[i] = event.actor().kind().wireName();
                actorNameCol[i] = event.actor().name();
                outcomeCol[i] = event.outcome().wireName();
                bytesCol[i] = incoming.bytes();
                prevCol[i] = link.prevHash();
                hashCol[i] = link.hash();
                i++;
            }
        }
        try (PreparedStatement insert = c.prepareStatement(INSERT_EVENTS)) {
            insert.setArray(1, c.createArrayOf("varchar", streamCol));
            insert.setArray(2, c.createArrayOf("bigint", seqCol));
            insert.setArray(3, c.createArrayOf("uuid", idCol));
            insert.setArray(4, c.createArrayOf("varchar", timeCol));
            insert.setArray(5, c.createArrayOf("varchar", typeCol));
            insert.setArray(6, c.createArrayOf("varchar", actorKindCol));
            insert.setArray(7, c.createArrayOf("varchar", actorNameCol));
            insert.setArray(8, c.createArrayOf("varchar", outcomeCol));
            insert.setArray(9, c.createArrayOf("bytea", bytesCol));
            insert.setArray(10, c.createArrayOf("bytea", prevCol));
            insert.setArray(11, c.createArrayOf("bytea", hashCol));
            return insert.executeUpdate();
        }
    }

    private static Map<String, AuditChain> heads(Connection c, Array streams) throws SQLException {
        Map<String, AuditChain> chains = new LinkedHashMap<>();
        try (PreparedStatement st = c.prepareStatement(HEADS)) {
            st.setArray(1, streams);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    StreamId stream = new StreamId(rs.getString(1));
                    long seq = rs.getLong(2);
                    chains.put(stream.value(), rs.wasNull() ? AuditChain.start(stream)
                            : AuditChain.resume(stream, seq, rs.getBytes(3)));
                }
            }
        }
        return chains;
    }

    private static int insertRejected(Connection c, List<RejectedRecord> rejected) throws SQLException {
        if (rejected.isEmpty()) {
            return 0;
        }
        String sql = "INSERT INTO audit_rejected (topic, kafka_partition, kafka_offset, stream, reason, payload_size,"
                + " payload_sha256) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (RejectedRecord r : rejected) {
                st.setString(1, r.topic());
                st.setInt(2, r.partition());
                st.setLong(3, r.offset());
                st.setString(4, r.stream());
                st.setString(5, r.reason());
                st.setInt(6, r.payloadSize());
                st.setBytes(7, r.payloadSha256());
                st.addBatch();
            }
            st.executeBatch();
        }
        return rejected.size();
    }
}
