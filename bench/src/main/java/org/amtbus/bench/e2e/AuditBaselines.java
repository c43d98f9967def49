package org.amtbus.bench.e2e;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The baselines of the audit scenario, measured in the same run on the same machine:
 * <ul>
 *   <li>raw SHA-256 chaining of the same event bytes ({@code SHA-256(prev || bytes || seq)}, the chain's link step;
 *       the first link starts from a plain hash of the stream id), one thread, nothing else: the ceiling for chaining
 *       and for verification;</li>
 *   <li>a raw batched INSERT of the same rows (the sink's own unnest statement, hashes computed beforehand) into a
 *       scratch copy of {@code audit_events} with the same columns, constraints and indexes, one commit
 *       per batch of the sink's batch size: the ceiling for storing (the scratch table starts empty, so its indexes
 *       are small and cached, which flatters it against a trail that already holds every earlier run);</li>
 *   <li>a raw read of every stored event's bytes and hash, chained again: the ceiling for verification.</li>
 * </ul>
 */
final class AuditBaselines {

    private static final String SCRATCH = "bench_audit_baseline";
    private static final String INSERT = "INSERT INTO " + SCRATCH + " (stream, seq, event_id, event_time, type, actor_kind,"
            + " actor_name, outcome, event_bytes, prev_hash, hash)"
            + " SELECT * FROM unnest(?::varchar[], ?::bigint[], ?::uuid[], ?::timestamptz[], ?::varchar[], ?::varchar[],"
            + " ?::varchar[], ?::varchar[], ?::bytea[], ?::bytea[], ?::bytea[])";

    private AuditBaselines() {
    }

    /** Chained hashes of {@code events}, one chain per stream, as the sink computes them. */
    record Chained(byte[][] prev, byte[][] hash, long[] seq) {
    }

    static Chained chain(List<AuditLoad.Event> events) {
        MessageDigest digest = sha256();
        Map<String, byte[]> heads = new HashMap<>();
        Map<String, Long> seqs = new HashMap<>();
        int n = events.size();
        Chained out = new Chained(new byte[n][], new byte[n][], new long[n]);
        ByteBuffer seqBytes = ByteBuffer.allocate(Long.BYTES);
        for (int i = 0; i < n; i++) {
            AuditLoad.Event e = events.get(i);
            byte[] prev = heads.computeIfAbsent(e.stream(), s -> sha256().digest(s.getBytes(StandardCharsets.UTF_8)));
            long seq = seqs.merge(e.stream(), 1L, Long::sum);
            digest.reset();
            digest.update(prev);
            digest.update(e.bytes());
            digest.update(seqBytes.clear().putLong(seq).array());
            byte[] hash = digest.digest();
            out.prev()[i] = prev;
            out.hash()[i] = hash;
            out.seq()[i] = seq;
            heads.put(e.stream(), hash);
        }
        return out;
    }

    /** Events chained per second by raw SHA-256 (best of three passes, after a warm-up pass). */
    static double chainRate(List<AuditLoad.Event> events) {
        chain(events);
        double best = 0;
        for (int pass = 0; pass < 3; pass++) {
            long t0 = System.nanoTime();
            chain(events);
            best = Math.max(best, events.size() / ((System.nanoTime() - t0) / 1e9));
        }
        return best;
    }

    /** Events per second stored by a raw batched INSERT into a scratch copy of audit_events (dropped afterwards). */
    static double insertRate(DataSource db, List<AuditLoad.Event> events, int batchSize) throws SQLException {
        Chained chained = chain(events);
        try (Connection c = db.getConnection()) {
            try (Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + SCRATCH);
                st.execute("CREATE TABLE " + SCRATCH + " (LIKE audit_events INCLUDING ALL)");
            }
            try {
                c.setAutoCommit(false);
                long t0 = System.nanoTime();
                for (int from = 0; from < events.size(); from += batchSize) {
                    insert(c, events, chained, from, Math.min(events.size(), from + batchSize));
                    c.commit();
                }
                return events.size() / ((System.nanoTime() - t0) / 1e9);
            } finally {
                c.setAutoCommit(true);
                try (Statement st = c.createStatement()) {
                    st.execute("DROP TABLE IF EXISTS " + SCRATCH);
                }
            }
        }
    }

    private static void insert(Connection c, List<AuditLoad.Event> events, Chained chained, int from, int to)
            throws SQLException {
        int n = to - from;
        Object[][] cols = new Object[11][];
        for (int k = 0; k < cols.length; k++) {
            cols[k] = k >= 8 ? new byte[n][] : new Object[n]; // the driver encodes bytea[] from byte[][] only
        }
        for (int i = 0; i < n; i++) {
            AuditLoad.Event e = events.get(from + i);
            cols[0][i] = e.stream();
            cols[1][i] = chained.seq()[from + i];
            cols[2][i] = e.event().id();
            cols[3][i] = e.event().time().toString();
            cols[4][i] = e.event().type();
            cols[5][i] = e.event().actor().kind().wireName();
            cols[6][i] = e.event().actor().name();
            cols[7][i] = e.event().outcome().wireName();
            cols[8][i] = e.bytes();
            cols[9][i] = chained.prev()[from + i];
            cols[10][i] = chained.hash()[from + i];
        }
        String[] types = {"varchar", "bigint", "uuid", "varchar", "varchar", "varchar", "varchar", "varchar", "bytea",
            "bytea", "bytea"};
        try (PreparedStatement st = c.prepareStatement(INSERT)) {
            for (int k = 0; k < cols.length; k++) {
                st.setArray(k + 1, c.createArrayOf(types[k], cols[k]));
            }
            st.executeUpdate();
        }
    }

    /** Events per second read back (bytes and hash, in chain order) and hashed again; returns {events, rate}. */
    static double[] readAndHashRate(DataSource db) throws SQLException {
        MessageDigest digest = sha256();
        long count = 0;
        long t0 = System.nanoTime();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false); // a cursor: rows arrive in fetch-size chunks
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT stream, seq, event_bytes, prev_hash, hash FROM audit_events ORDER BY stream, seq")) {
                st.setFetchSize(2_000);
                try (ResultSet rs = st.executeQuery()) {
                    ByteBuffer seqBytes = ByteBuffer.allocate(Long.BYTES);
                    while (rs.next()) {
                        digest.reset();
                        digest.update(rs.getBytes(4));
                        digest.update(rs.getBytes(3));
                        digest.update(seqBytes.clear().putLong(rs.getLong(2)).array());
                        if (digest.digest().length != rs.getBytes(5).length) {
                            throw new IllegalStateException("unexpected hash length");
                        }
                        count++;
                    }
                }
            }
            c.commit();
        }
        return new double[] {count, count / ((System.nanoTime() - t0) / 1e9)};
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
