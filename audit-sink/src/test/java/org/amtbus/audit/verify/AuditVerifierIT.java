package org.amtbus.audit.verify;

import static org.amtbus.audit.testing.TestEvents.incoming;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.amtbus.audit.chain.AuditChain;
import org.amtbus.audit.chain.Hex;
import org.amtbus.audit.chain.StreamId;
import org.amtbus.audit.checkpoint.Checkpoint;
import org.amtbus.audit.checkpoint.CheckpointKey;
import org.amtbus.audit.checkpoint.Checkpointer;
import org.amtbus.audit.store.AuditStore;
import org.amtbus.audit.testing.AuditDatabase;
import org.amtbus.audit.testing.TestEvents;
import org.amtbus.platform.secret.SealedFileSecretStore;
import org.amtbus.platform.secret.SecretName;
import org.amtbus.platform.testing.ManualClock;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.AuditEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tampering with the real PostgreSQL tables (as their owner, with the append-only triggers disabled)
 * and the verifier naming each kind of change at the right seq. Stream {@code broker-1} holds events
 * 1-10 with checkpoints at 4, 8 and 10; {@code broker-2} holds 3 untouched events.
 */
class AuditVerifierIT {

    private static final String B1 = "stream = 'broker-1'";
    /** The stored bytes of an event with alice replaced by mallory. */
    private static final String EDITED_BYTES =
            "convert_to(replace(convert_from(event_bytes, 'UTF8'), '\"alice\"', '\"mallory\"'), 'UTF8')";

    @TempDir
    Path dir;
    private AuditDatabase db;
    private AuditVerifier verifier;
    private CheckpointKey key;
    private CheckpointKey otherKey;

    @BeforeEach
    void fill() {
        db = AuditDatabase.create();
        AuditStore store = new AuditStore(db.dataSource());
        try (SealedFileSecretStore secrets = SealedFileSecretStore.open(dir)) {
            key = CheckpointKey.loadOrCreate(secrets, CheckpointKey.DEFAULT_NAME);
            otherKey = CheckpointKey.loadOrCreate(secrets, new SecretName("attacker/key"));
        }
        Checkpointer checkpointer = new Checkpointer(db.dataSource(), key, new ManualClock());
        store.append(List.of(incoming("broker-1"), incoming("broker-2"), incoming("broker-1"), incoming("broker-1"),
                incoming("broker-1")), List.of());
        checkpointer.checkpointNow();
        store.append(List.of(incoming("broker-1"), incoming("broker-1"), incoming("broker-2"), incoming("broker-1"),
                incoming("broker-1"), incoming("broker-2")), List.of());
        checkpointer.checkpointNow();
        store.append(List.of(incoming("broker-1"), incoming("broker-1")), List.of());
        checkpointer.checkpointNow();
        verifier = new AuditVerifier(db.dataSource());
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void anUntouchedTrailIsIntact() {
        VerificationResult result = verifier.verify();

        assertThat(result.intact()).isTrue();
        assertThat(result.firstProblem()).isEmpty();
        assertThat(result.events()).isEqualTo(13);
        assertThat(result.streams()).extracting(s -> s.stream().value() + ":" + s.firstSeq() + "-" + s.lastSeq()
                + "/" + s.checkpoints() + "@" + s.lastCheckpointSeq())
                .containsExactly("broker-1:1-10/3@10", "broker-2:1-3/2@3");
        assertThat(verifier.verify(List.of(key.publicKey())).intact()).isTrue();
    }

    @Test
    void namesAnEditedEvent() {
        db.tamper("UPDATE audit_events SET event_bytes = " + EDITED_BYTES + " WHERE " + B1 + " AND seq = 3");
        assertFirstProblem(Problem.Kind.EDITED, 3, "no longer hashes");
    }

    @Test
    void namesAnEditedSearchColumn() {
        db.tamper("UPDATE audit_events SET actor_name = 'mallory' WHERE " + B1 + " AND seq = 3");
        assertFirstProblem(Problem.Kind.EDITED, 3, "actor_name");
    }

    @Test
    void namesAnEditedEventWhoseOwnHashWasRecomputed() {
        db.tamper("UPDATE audit_events SET event_bytes = " + EDITED_BYTES + ", actor_name = 'mallory',"
                + " hash = sha256(prev_hash || " + EDITED_BYTES + " || int8send(seq)) WHERE " + B1 + " AND seq = 3");
        assertFirstProblem(Problem.Kind.EDITED, 3, "replaced");
    }

    @Test
    void namesADeletedEvent() {
        db.tamper("DELETE FROM audit_events WHERE " + B1 + " AND seq = 3");
        assertFirstProblem(Problem.Kind.DELETED, 3, "event 3 is missing");
    }

    @Test
    void namesADeletedEventWhenTheLaterOnesWereRenumbered() {
        db.tamper("DELETE FROM audit_events WHERE " + B1 + " AND seq = 3",
                "UPDATE audit_events SET seq = seq + 1000000 WHERE " + B1 + " AND seq > 3",
                "UPDATE audit_events SET seq = seq - 1000001 WHERE " + B1 + " AND seq > 1000000");
        assertFirstProblem(Problem.Kind.DELETED, 3, "renumbered");
    }

    @Test
    void namesAnInsertedEventEvenWhenItLinksCorrectlyToItsPredecessor() {
        db.tamper(shiftUpFrom(3), insertAt(3, "(SELECT hash FROM audit_events WHERE " + B1 + " AND seq = 2)", true));
        assertFirstProblem(Problem.Kind.INSERTED, 3, "not part of the chain");
    }

    @Test
    void namesAnInsertedEventWithMadeUpHashes() {
        db.tamper(shiftUpFrom(3), insertAt(3, "'\\x" + "00".repeat(32) + "'::bytea", false));
        assertFirstProblem(Problem.Kind.INSERTED, 3, "not part of the chain");
    }

    @Test
    void namesTwoSwappedEvents() {
        db.tamper("UPDATE audit_events SET seq = 1000003 WHERE " + B1 + " AND seq = 3",
                "UPDATE audit_events SET seq = 3 WHERE " + B1 + " AND seq = 4",
                "UPDATE audit_events SET seq = 4 WHERE " + B1 + " AND seq = 1000003");
        assertFirstProblem(Problem.Kind.REORDERED, 3, "seq 4");
    }

    @Test
    void namesTwoEventsWhoseContentWasSwapped() {
        db.tamper("UPDATE audit_events a SET event_bytes = b.event_bytes FROM audit_events b"
                + " WHERE a.stream = 'broker-1' AND b.stream = 'broker-1'"
                + " AND ((a.seq = 6 AND b.seq = 7) OR (a.seq = 7 AND b.seq = 6))");
        assertFirstProblem(Problem.Kind.REORDERED, 6, "chained at seq 7");
    }

    @Test
    void namesEventsCutFromTheEndThatACheckpointCovers() {
        db.tamper("DELETE FROM audit_events WHERE " + B1 + " AND seq > 8");
        assertFirstProblem(Problem.Kind.TRUNCATED, 10, "chain ends at seq 8");
    }

    @Test
    void namesACheckpointWithAnotherCheckpointsSignature() {
        db.tamper("UPDATE audit_checkpoints SET signature = (SELECT signature FROM audit_checkpoints WHERE " + B1
                + " AND seq = 4) WHERE " + B1 + " AND seq = 8");
        assertFirstProblem(Problem.Kind.BAD_SIGNATURE, 8, "does not verify");
    }

    @Test
    void namesACheckpointWhoseHashWasChanged() {
        db.tamper("UPDATE audit_checkpoints SET hash = sha256(hash) WHERE " + B1 + " AND seq = 8");
        assertFirstProblem(Problem.Kind.BAD_SIGNATURE, 8, "does not verify");
    }

    @Test
    void namesARemovedCheckpoint() {
        db.tamper("DELETE FROM audit_checkpoints WHERE " + B1 + " AND seq = 4");
        assertFirstProblem(Problem.Kind.CHECKPOINT_MISSING, 8, "seq 4");
    }

    @Test
    void namesAChainRewrittenFromTheEditOnwardAtTheFirstCheckpointAfterIt() throws SQLException {
        db.tamper(rewriteChainFrom(3, null));
        assertFirstProblem(Problem.Kind.CHECKPOINT_MISMATCH, 4, "the checkpoint signs hash");
    }

    @Test
    void aChainRewrittenAndReSignedWithASlippedInKeyFailsOnlyAgainstTheTrustedKey() throws SQLException {
        // given: the attacker rewrites events from seq 3 and re-signs every checkpoint with a key of their own
        db.tamper(rewriteChainFrom(3, otherKey));

        // when
        VerificationResult trustingTheDatabase = verifier.verify();
        VerificationResult trustingTheExportedKey = verifier.verify(List.of(key.publicKey()));

        // then
        assertThat(trustingTheDatabase.intact()).as("the database's own keys cannot catch this").isTrue();
        assertThat(trustingTheExportedKey.firstProblem()).hasValueSatisfying(p -> {
            assertThat(p.kind()).isEqualTo(Problem.Kind.UNTRUSTED_KEY);
            assertThat(p.stream().value()).isEqualTo("broker-1");
            assertThat(p.seq()).isEqualTo(4);
        });
    }

    @Test
    void acceptsAPrefixPrunedAtACheckpointAndNothingElse() {
        // given
        db.tamper("DELETE FROM audit_events WHERE " + B1 + " AND seq <= 4");

        // then
        VerificationResult pruned = verifier.verify();
        assertThat(pruned.intact()).isTrue();
        assertThat(pruned.streams().getFirst().firstSeq()).isEqualTo(5);

        // and when one more event goes, the prefix no longer ends at a checkpoint
        db.tamper("DELETE FROM audit_events WHERE " + B1 + " AND seq = 5");
        assertFirstProblem(Problem.Kind.DELETED, 1, "no checkpoint anchors");
    }

    @Test
    void cannotSeeEventsCutAfterTheLastCheckpoint() {
        // the documented limit: the newest events are only as safe as the latest exported checkpoint
        new AuditStore(db.dataSource()).append(List.of(incoming("broker-1")), List.of());
        db.tamper("DELETE FROM audit_events WHERE " + B1 + " AND seq = 11");
        assertThat(verifier.verify().intact()).isTrue();
    }

    private void assertFirstProblem(Problem.Kind kind, long seq, String detail) {
        VerificationResult result = verifier.verify();
        assertThat(result.intact()).isFalse();
        assertThat(result.firstProblem()).hasValueSatisfying(p -> {
            assertThat(p.kind()).as(p.toString()).isEqualTo(kind);
            assertThat(p.stream().value()).isEqualTo("broker-1");
            assertThat(p.seq()).as(p.toString()).isEqualTo(seq);
            assertThat(p.detail()).contains(detail);
        });
        assertThat(result.problems()).hasSize(1);
        assertThat(result.streams().get(1).intact()).as("broker-2 is untouched").isTrue();
    }

    private static String shiftUpFrom(long seq) {
        return "UPDATE audit_events SET seq = seq + 1000000 WHERE " + B1 + " AND seq >= " + seq + ";"
                + "UPDATE audit_events SET seq = seq - 999999 WHERE " + B1 + " AND seq > 1000000";
    }

    /** SQL inserting a forged event at {@code seq} after {@code prevSql}; hashed correctly or not at all. */
    private static String insertAt(long seq, String prevSql, boolean hashed) {
        AuditEvent forged = TestEvents.event("auth.login", "mallory");
        String bytes = "'\\x" + Hex.of(Json.write(forged)) + "'::bytea";
        String hash = hashed ? "sha256(" + prevSql + " || " + bytes + " || int8send(" + seq + "::bigint))"
                : "'\\x" + "11".repeat(32) + "'::bytea";
        return "INSERT INTO audit_events (stream, seq, event_id, event_time, type, actor_kind, actor_name, outcome,"
                + " event_bytes, prev_hash, hash) VALUES ('broker-1', " + seq + ", '" + forged.id() + "', '"
                + forged.time() + "', 'auth.login', 'user', 'mallory', 'success', " + bytes + ", " + prevSql + ", "
                + hash + ")";
    }

    /**
     * SQL that edits event {@code from} and recomputes every hash after it, as an attacker who knows
     * the chain's definition would; with {@code resignWith}, also re-signs every checkpoint with that key.
     */
    private String[] rewriteChainFrom(long from, CheckpointKey resignWith) throws SQLException {
        List<String> sql = new ArrayList<>();
        StreamId stream = new StreamId("broker-1");
        List<byte[]> hashes = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement st = c.prepareStatement("SELECT seq, event_bytes, prev_hash, hash FROM audit_events"
                     + " WHERE stream = 'broker-1' ORDER BY seq")) {
            try (ResultSet rs = st.executeQuery()) {
                byte[] prev = AuditChain.genesis(stream);
                while (rs.next()) {
                    long seq = rs.getLong(1);
                    byte[] bytes = rs.getBytes(2);
                    if (seq == from) {
                        bytes = new String(bytes).replace("\"alice\"", "\"mallory\"").getBytes();
                    }
                    byte[] hash = AuditChain.link(prev, bytes, seq);
                    if (seq >= from) {
                        sql.add("UPDATE audit_events SET event_bytes = '\\x" + Hex.of(bytes) + "',"
                                + (seq == from ? " actor_name = 'mallory'," : "") + " prev_hash = '\\x"
                                + Hex.of(prev) + "', hash = '\\x" + Hex.of(hash) + "' WHERE " + B1 + " AND seq = " + seq);
                    }
                    hashes.add(hash);
                    prev = hash;
                }
            }
        }
        if (resignWith != null) {
            sql.add("INSERT INTO audit_keys (key_id, public_key) VALUES ('" + resignWith.keyId() + "', '\\x"
                    + Hex.of(resignWith.publicKey().getEncoded()) + "')");
            long prevSeq = 0;
            for (long seq : new long[] {4, 8, 10}) {
                Checkpoint forged = Checkpoint.sign(resignWith, stream, seq, prevSeq, hashes.get((int) seq - 1),
                        Instant.parse("2026-01-01T00:00:00Z"));
                sql.add("UPDATE audit_checkpoints SET hash = '\\x" + Hex.of(forged.hash()) + "', signed_at = '"
                        + forged.signedAt() + "', key_id = '" + forged.keyId() + "', signature = '\\x"
                        + Hex.of(forged.signature()) + "' WHERE " + B1 + " AND seq = " + seq);
                prevSeq = seq;
            }
        }
        return sql.toArray(String[]::new);
    }

}
