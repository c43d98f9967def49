package org.amtbus.audit.siem.delivery;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.amtbus.audit.chain.StreamId;
import org.amtbus.audit.siem.SiemEvent;
import org.amtbus.audit.store.AuditStoreException;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.AuditEvent;

/**
 * Reads the audit trail for the SIEM outputs, stream by stream after a cursor of sequence numbers.
 *
 * <p>Why by (stream, seq) and not by the global {@code position}: a stream's seqs are gapless and
 * committed in order (the store locks the stream's row for the whole transaction), so "seq greater
 * than my cursor" can never skip an event that commits later. Identity positions give no such promise:
 * two transactions can commit out of position order. Only committed, chained events are read, so
 * a SIEM never sees an event the trail does not hold. Thread-safe; blocking JDBC.
 */
public final class StoreFeed {

    private static final String NEXT = """
            SELECT e.stream, e.seq, e.event_bytes
            FROM audit_streams s
            LEFT JOIN unnest(?::varchar[], ?::bigint[]) AS c(stream, seq) ON c.stream = s.stream
            CROSS JOIN LATERAL (SELECT ev.stream, ev.seq, ev.event_bytes FROM audit_events ev
                                WHERE ev.stream = s.stream AND ev.seq > coalesce(c.seq, 0)
                                ORDER BY ev.seq LIMIT ?) e
            ORDER BY e.stream, e.seq
            """;
    private static final String HEADS = """
            SELECT s.stream, (SELECT max(seq) FROM audit_events ev WHERE ev.stream = s.stream) FROM audit_streams s
            """;

    private final DataSource dataSource;

    public StoreFeed(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** Up to {@code perStream} events of each stream after {@code cursor}, by stream then seq. */
    public List<SiemEvent> next(Map<String, Long> cursor, int perStream) {
        String[] streams = cursor.keySet().toArray(String[]::new);
        Long[] seqs = cursor.values().toArray(Long[]::new);
        List<SiemEvent> events = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(NEXT)) {
            st.setArray(1, c.createArrayOf("varchar", streams));
            st.setArray(2, c.createArrayOf("bigint", seqs));
            st.setInt(3, perStream);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    events.add(new SiemEvent(new StreamId(rs.getString(1)), rs.getLong(2), event(rs.getBytes(3))));
                }
            }
        } catch (SQLException e) {
            throw new AuditStoreException("could not read the audit trail for the SIEM outputs (" + e.getSQLState() + ")", e);
        }
        return events;
    }

    /** The current last seq of every stream (for an output that starts at the newest events). */
    public Map<String, Long> heads() {
        Map<String, Long> heads = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(HEADS);
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                heads.put(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new AuditStoreException("could not read the audit stream heads", e);
        }
        return heads;
    }

    private static AuditEvent event(byte[] bytes) {
        try {
            return Json.read(bytes, AuditEvent.class);
        } catch (IOException e) {
            throw new AuditStoreException("a stored audit event cannot be read; run verify", e);
        }
    }
}
