package org.amtbus.audit.checkpoint;

import static org.amtbus.audit.testing.TestEvents.incoming;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.amtbus.audit.chain.StreamId;
import org.amtbus.audit.store.AuditStore;
import org.amtbus.audit.testing.AuditDatabase;
import org.amtbus.platform.secret.SealedFileSecretStore;
import org.amtbus.platform.testing.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signed checkpoints against real PostgreSQL. */
class CheckpointerIT {

    @TempDir
    Path dir;
    private AuditDatabase db;
    private AuditStore store;
    private CheckpointKey key;
    private final ManualClock clock = new ManualClock();

    @BeforeEach
    void start() {
        db = AuditDatabase.create();
        store = new AuditStore(db.dataSource());
        try (SealedFileSecretStore secrets = SealedFileSecretStore.open(dir)) {
            key = CheckpointKey.loadOrCreate(secrets, CheckpointKey.DEFAULT_NAME);
        }
    }

    @AfterEach
    void stop() {
        db.close();
    }

    @Test
    void checkpointsOnlyStreamsWithNewEventsAndLinksEachToThePreviousOne() {
        // given
        Checkpointer checkpointer = new Checkpointer(db.dataSource(), key, clock);
        store.append(List.of(incoming("cp-a"), incoming("cp-a"), incoming("cp-b")), List.of());

        // when
        List<Checkpoint> first = checkpointer.checkpointNow();
        byte[] headA = store.head(new StreamId("cp-a")).orElseThrow().hash();
        List<Checkpoint> idle = checkpointer.checkpointNow();
        store.append(List.of(incoming("cp-a")), List.of());
        clock.advance(Duration.ofMinutes(1));
        List<Checkpoint> second = checkpointer.checkpointNow();

        // then
        assertThat(first).extracting(cp -> cp.stream().value() + "@" + cp.seq() + "<" + cp.prevSeq())
                .containsExactly("cp-a@2<0", "cp-b@1<0");
        assertThat(first.getFirst().hash()).isEqualTo(headA);
        assertThat(idle).isEmpty();
        assertThat(second).extracting(cp -> cp.stream().value() + "@" + cp.seq() + "<" + cp.prevSeq())
                .containsExactly("cp-a@3<2");
        assertThat(second.getFirst().signedAt()).isEqualTo(clock.instant());
        assertThat(CheckpointKey.verify(key.publicKey(), second.getFirst().statement(), second.getFirst().signature()))
                .isTrue();
    }

    @Test
    void checkpointsOnTheIntervalAndOnceMoreOnClose() throws SQLException {
        // given
        Checkpointer checkpointer = new Checkpointer(db.dataSource(), key, clock);
        checkpointer.start(Duration.ofMillis(100));

        // when
        store.append(List.of(incoming("timed")), List.of());

        // then
        await().atMost(Duration.ofSeconds(10)).until(() -> checkpoints("timed") == 1);
        store.append(List.of(incoming("timed")), List.of());
        checkpointer.close();
        assertThat(checkpoints("timed")).isEqualTo(2);
    }

    @Test
    void storesThePublicKeyOnceAndRefusesToChangeCheckpointsOrKeys() throws SQLException {
        // given
        Checkpointer checkpointer = new Checkpointer(db.dataSource(), key, clock);
        new Checkpointer(db.dataSource(), key, clock); // a restart registers the same key again
        store.append(List.of(incoming("fixed")), List.of());
        checkpointer.checkpointNow();

        // then
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT key_id, public_key FROM audit_keys")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(key.keyId());
                assertThat(CheckpointKey.publicKey(rs.getBytes(2)).getEncoded()).isEqualTo(key.publicKey().getEncoded());
                assertThat(rs.next()).isFalse();
            }
            assertThatThrownBy(() -> st.execute("UPDATE audit_checkpoints SET seq = 5")).hasMessageContaining("append-only");
            assertThatThrownBy(() -> st.execute("DELETE FROM audit_checkpoints")).hasMessageContaining("append-only");
            assertThatThrownBy(() -> st.execute("DELETE FROM audit_keys")).hasMessageContaining("append-only");
        }
    }

    @Test
    void refusesAnIntervalOutsideItsBounds() {
        Checkpointer checkpointer = new Checkpointer(db.dataSource(), key, clock);
        assertThatThrownBy(() -> checkpointer.start(Duration.ofMillis(10))).hasMessageContaining("checkpointInterval");
        assertThatThrownBy(() -> checkpointer.start(Duration.ofDays(2))).hasMessageContaining("checkpointInterval");
    }

    private long checkpoints(String stream) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM audit_checkpoints WHERE stream = '" + stream + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
