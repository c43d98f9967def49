package org.amtbus.audit.checkpoint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.amtbus.audit.chain.StreamId;
import org.amtbus.audit.store.AuditStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs a checkpoint for every stream that has events after its last checkpoint: on a fixed
 * interval once {@link #start started}, on {@link #checkpointNow()}, and a last time on
 * {@link #close()}. Table {@code audit_checkpoints}; the public key goes to {@code audit_keys}.
 *
 * <p>Invariants: a checkpoint names the head that was committed when it was signed (all streams are
 * locked, {@code FOR UPDATE} on {@code audit_streams}, for the short signing transaction, so no writer
 * moves a head meanwhile); per stream, checkpoints are strictly increasing in seq and each names the
 * one before it; a stream without new events gets no checkpoint. A failed run is logged and retried
 * at the next interval. Thread-safe: runs are serialized.
 */
public final class Checkpointer implements AutoCloseable {

    /** Default interval: short enough that at most a minute of events is only chain-protected. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
    public static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    public static final Duration MAX_INTERVAL = Duration.ofHours(24);

    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
    private static final String DUE = """
            SELECT s.stream, e.seq, e.hash, coalesce(c.seq, 0)
            FROM audit_streams s
            JOIN LATERAL (SELECT seq, hash FROM audit_events WHERE stream = s.stream ORDER BY seq DESC LIMIT 1) e ON true
            LEFT JOIN LATERAL (SELECT seq FROM audit_checkpoints WHERE stream = s.stream ORDER BY seq DESC LIMIT 1) c ON true
            WHERE e.seq > coalesce(c.seq, 0)
            ORDER BY s.stream
            """;

    private final DataSource dataSource;
    private final CheckpointKey key;
    private final Clock clock;
    private ScheduledExecutorService scheduler;
    private boolean closed;

    /** Registers the key's public half in {@code audit_keys} (once; blocking). */
    public Checkpointer(DataSource dataSource, CheckpointKey key, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.key = Objects.requireNonNull(key, "key");
        this.clock = Objects.requireNonNull(clock, "clock");
        registerKey();
    }

    /** Checkpoints every {@code interval} on a daemon thread of its own. */
    public synchronized void start(Duration interval) {
        if (interval.compareTo(MIN_INTERVAL) < 0 || interval.compareTo(MAX_INTERVAL) > 0) {
            throw new IllegalArgumentException("audit.checkpointInterval must be " + MIN_INTERVAL + " to " + MAX_INTERVAL
                    + ", was " + interval);
        }
        if (scheduler != null || closed) {
            throw new IllegalStateException("the checkpointer was already started or closed");
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "audit-checkpointer");
            t.setDaemon(true);
            return t;
        });
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::checkpointQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Signs and stores a checkpoint for each stream with new events; returns them (blocking). */
    public synchronized List<Checkpoint> checkpointNow() {
        List<Checkpoint> signed = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement(
                        "SELECT stream FROM audit_streams ORDER BY stream FOR UPDATE")) {
                    lock.executeQuery().close();
                }
                try (PreparedStatement due = c.prepareStatement(DUE); ResultSet rs = due.executeQuery()) {
                    while (rs.next()) {
                        signed.add(Checkpoint.sign(key, new StreamId(rs.getString(1)), rs.getLong(2), rs.getLong(4),
                                rs.getBytes(3), clock.instant()));
                    }
                }
                insert(c, signed);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new AuditStoreException("could not store audit checkpoints (" + e.getSQLState() + ")", e);
        }
        for (Checkpoint checkpoint : signed) {
            LOG.info("event=audit.checkpoint stream={} seq={} prevSeq={} keyId={}", checkpoint.stream(),
                    checkpoint.seq(), checkpoint.prevSeq(), checkpoint.keyId());
        }
        return signed;
    }

    /** The key that signs; its public half is in {@code audit_keys}. */
    public CheckpointKey key() {
        return key;
    }

    /** Stops the schedule and signs a last checkpoint for whatever is new. */
    @Override
    public void close() {
        ScheduledExecutorService running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = scheduler;
        }
        if (running != null) {
            running.shutdown();
            try {
                running.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        checkpointQuietly();
    }

    private void checkpointQuietly() {
        try {
            checkpointNow();
        } catch (RuntimeException e) {
            LOG.error("event=audit.checkpoint-failed reason={}", e.getMessage(), e);
        }
    }

    private static void insert(Connection c, List<Checkpoint> checkpoints) throws SQLException {
        if (checkpoints.isEmpty()) {
            return;
        }
        String sql = "INSERT INTO audit_checkpoints (stream, seq, prev_seq, hash, signed_at, key_id, signature)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (Checkpoint cp : checkpoints) {
                st.setString(1, cp.stream().value());
                st.setLong(2, cp.seq());
                st.setLong(3, cp.prevSeq());
                st.setBytes(4, cp.hash());
                st.setObject(5, cp.signedAt().atOffset(ZoneOffset.UTC));
                st.setString(6, cp.keyId());
                st.setBytes(7, cp.signature());
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    private void registerKey() {
        String sql = "INSERT INTO audit_keys (key_id, public_key) VALUES (?, ?) ON CONFLICT (key_id) DO NOTHING";
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, key.keyId());
            st.setBytes(2, key.publicKey().getEncoded());
            st.executeUpdate();
        } catch (SQLException e) {
            throw new AuditStoreException("could not register the audit checkpoint key " + key.keyId(), e);
        }
    }
}
