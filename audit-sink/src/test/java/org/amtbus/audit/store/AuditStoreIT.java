package org.amtbus.audit.store;

import static org.amtbus.audit.testing.TestEvents.incoming;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.amtbus.audit.chain.AuditChain;
import org.amtbus.audit.chain.ChainLink;
import org.amtbus.audit.chain.StreamId;
import org.amtbus.audit.testing.AuditDatabase;
import org.amtbus.audit.testing.TestEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The append-only, chained store against real PostgreSQL. */
class AuditStoreIT {

    private static AuditDatabase db;
    private static AuditStore store;

    @BeforeAll
    static void start() {
        db = AuditDatabase.create();
        store = new AuditStore(db.dataSource());
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void chainsEachStreamAcrossBatchesWithConsecutiveSequenceNumbers() throws SQLException {
        // given
        List<IncomingEvent> first = List.of(incoming("chain-a"), incoming("chain-b"), incoming("chain-a"));
        List<IncomingEvent> second = List.of(incoming("chain-a"), incoming("chain-b"));

        // when
        AppendResult r1 = store.append(first, List.of());
        AppendResult r2 = store.append(second, List.of());

        // then
        assertThat(r1.stored()).isEqualTo(3);
        assertThat(r2.stored()).isEqualTo(2);
        AuditChain expectedA = AuditChain.start(new StreamId("chain-a"));
        expectedA.append(first.get(0).bytes());
        expectedA.append(first.get(2).bytes());
        ChainLink lastA = expectedA.append(second.get(0).bytes());
        assertThat(store.head(new StreamId("chain-a"))).contains(lastA);
        assertThat(store.head(new StreamId("chain-b")).orElseThrow().seq()).isEqualTo(2);
        assertThat(rows("chain-a")).containsExactly(1L, 2L, 3L);
    }

    @Test
    void storesTheEventBytesVerbatim() throws SQLException {
        // given
        IncomingEvent event = incoming("verbatim");

        // when
        store.append(List.of(event), List.of());

        // then
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement st = c.prepareStatement("SELECT event_bytes, type, actor_name FROM audit_events WHERE stream = ?")) {
            st.setString(1, "verbatim");
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBytes(1)).isEqualTo(event.bytes());
                assertThat(rs.getString(2)).isEqualTo("auth.login");
                assertThat(rs.getString(3)).isEqualTo("alice");
            }
        }
    }

    @Test
    void aRedeliveredBatchIsSkippedWithoutGapsOrDuplicates() throws SQLException {
        // given
        List<IncomingEvent> batch = List.of(incoming("redelivery"), incoming("redelivery"));
        store.append(batch, List.of());
        List<IncomingEvent> redelivered = new ArrayList<>(batch);
        redelivered.add(incoming("redelivery"));
        redelivered.add(batch.get(0)); // twice inside one batch as well

        // when
        AppendResult result = store.append(redelivered, List.of());

        // then
        assertThat(result).isEqualTo(new AppendResult(1, 3, 0, List.of(redelivered.get(2).event())));
        assertThat(rows("redelivery")).containsExactly(1L, 2L, 3L);
    }

    @Test
    void refusesUpdateDeleteAndTruncateEvenForTheOwner() {
        // (row triggers: statements that touch rows; checkpoint and key rows are covered in CheckpointerIT)
        // given
        store.append(List.of(incoming("immutable")),
                List.of(new RejectedRecord("amtbus.audit", 1, 7, "immutable", "/id: is required", 3, new byte[32])));

        // when / then
        for (String sql : new String[] {
                "UPDATE audit_events SET type = 'auth.logout' WHERE stream = 'immutable'",
                "DELETE FROM audit_events WHERE stream = 'immutable'",
                "TRUNCATE audit_events CASCADE",
                "DELETE FROM audit_streams WHERE stream = 'immutable'",
                "UPDATE audit_rejected SET reason = 'x' WHERE stream = 'immutable'",
                "TRUNCATE audit_checkpoints",
                "TRUNCATE audit_keys CASCADE"}) {
            assertThatThrownBy(() -> execute(sql)).as(sql)
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("append-only");
        }
        assertThatThrownBy(() -> execute("SET session_replication_role = replica; "
                + "DELETE FROM audit_events WHERE stream = 'immutable'")).hasMessageContaining("append-only");
        assertThat(store.head(new StreamId("immutable"))).isPresent();
    }

    @Test
    void notesRejectedRecordsOnceWithoutTheirPayload() throws SQLException {
        // given
        RejectedRecord rejected = new RejectedRecord("amtbus.audit", 0, 42, null, "/type: is required", 17, new byte[32]);

        // when
        AppendResult first = store.append(List.of(), List.of(rejected));
        store.append(List.of(TestEvents.incoming("with-rejects")), List.of(rejected));

        // then
        assertThat(first.rejected()).isEqualTo(1);
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), max(reason) FROM audit_rejected WHERE kafka_offset = 42")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1);
            assertThat(rs.getString(2)).isEqualTo("/type: is required");
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static List<Long> rows(String stream) throws SQLException {
        List<Long> seqs = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement st = c.prepareStatement("SELECT seq, prev_hash, hash, event_bytes FROM audit_events "
                     + "WHERE stream = ? ORDER BY seq")) {
            st.setString(1, stream);
            byte[] prev = AuditChain.genesis(new StreamId(stream));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong(1);
                    assertThat(rs.getBytes(2)).as("prev hash of %d", seq).isEqualTo(prev);
                    assertThat(rs.getBytes(3)).isEqualTo(AuditChain.link(prev, rs.getBytes(4), seq));
                    prev = rs.getBytes(3);
                    seqs.add(seq);
                }
            }
        }
        return seqs;
    }
}
