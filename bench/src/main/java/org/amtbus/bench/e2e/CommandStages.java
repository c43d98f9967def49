package org.amtbus.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Where a command's time went, from the node's own audit trail: {@code command.accepted} (the router forwarded it)
 * and {@code command.completed} (the gateway has the device's answer) carry the node's clock, the load's publish and
 * result times the same machine's clock. Three stages: publish -> accepted (broker, bridge, Kafka, router), accepted ->
 * completed (Kafka, gateway, WS-Man over APF, device), completed -> result at the client (gateway-results relay, ledger,
 * Kafka, event bridge, MQTT).
 */
final class CommandStages {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CommandStages() {
    }

    /** Median and p99 milliseconds of the three stages, or null when the audit trail lacks the events. */
    record Breakdown(int commands, double[] p50, double[] p99) {
        String describe() {
            return String.format("stages p50/p99 ms: publish->accepted %.0f/%.0f, accepted->completed %.0f/%.0f, "
                    + "completed->result %.0f/%.0f (%d commands)", p50[0], p99[0], p50[1], p99[1], p50[2], p99[2], commands);
        }
    }

    static Breakdown measure(DataSource db, Map<String, long[]> wall, Instant since, Duration wait) throws SQLException {
        Map<String, long[]> audit = new HashMap<>();
        long deadline = System.nanoTime() + wait.toNanos();
        do {
            audit.clear();
            read(db, since, audit);
            if (complete(audit, wall) >= wall.size()) {
                break;
            }
            NodeProcess.sleep(500);
        } while (System.nanoTime() < deadline);
        Latencies[] stages = {new Latencies(wall.size() + 1), new Latencies(wall.size() + 1), new Latencies(wall.size() + 1)};
        int n = 0;
        for (Map.Entry<String, long[]> e : wall.entrySet()) {
            long[] a = audit.get(e.getKey());
            long[] w = e.getValue();
            if (a == null || a[0] == 0 || a[1] == 0 || w[1] == 0) {
                continue;
            }
            stages[0].record(Math.max(0, a[0] - w[0]) * 1_000_000);
            stages[1].record(Math.max(0, a[1] - a[0]) * 1_000_000);
            stages[2].record(Math.max(0, w[1] - a[1]) * 1_000_000);
            n++;
        }
        if (n == 0) {
            return null;
        }
        double[] p50 = new double[3];
        double[] p99 = new double[3];
        for (int i = 0; i < 3; i++) {
            p50[i] = stages[i].summary().p50Ms();
            p99[i] = stages[i].summary().p99Ms();
        }
        return new Breakdown(n, p50, p99);
    }

    private static int complete(Map<String, long[]> audit, Map<String, long[]> wall) {
        int n = 0;
        for (String id : wall.keySet()) {
            long[] a = audit.get(id);
            n += a != null && a[0] != 0 && a[1] != 0 ? 1 : 0;
        }
        return n;
    }

    private static void read(DataSource db, Instant since, Map<String, long[]> out) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT type, event_bytes FROM audit_events WHERE type IN ('command.accepted', 'command.completed')"
                        + " AND event_time >= ?")) {
            st.setTimestamp(1, Timestamp.from(since));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    try {
                        JsonNode e = JSON.readTree(rs.getBytes(2));
                        String id = e.path("details").path("command").asText();
                        long t = Instant.parse(e.path("time").asText()).toEpochMilli();
                        out.computeIfAbsent(id, k -> new long[2])["command.accepted".equals(rs.getString(1)) ? 0 : 1] = t;
                    } catch (IOException | RuntimeException ignored) {
                        // not a bench command's event
                    }
                }
            }
        }
    }
}
