package org.amtbus.audit.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.HexFormat;
import org.amtbus.audit.chain.AuditChain;
import org.amtbus.audit.chain.StreamId;
import org.amtbus.platform.secret.SealedFileSecretStore;
import org.amtbus.platform.secret.Secret;
import org.amtbus.platform.secret.SecretName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointKeyTest {

    @TempDir
    Path dir;

    @Test
    void createsAP384KeyOnFirstUseAndLoadsTheSameKeyAfterwards() {
        // given
        CheckpointKey created;
        try (SealedFileSecretStore secrets = SealedFileSecretStore.open(dir)) {
            created = CheckpointKey.loadOrCreate(secrets, CheckpointKey.DEFAULT_NAME);
        }

        // when
        CheckpointKey loaded;
        try (SealedFileSecretStore secrets = SealedFileSecretStore.open(dir)) {
            loaded = CheckpointKey.loadOrCreate(secrets, CheckpointKey.DEFAULT_NAME);
        }

        // then
        assertThat(loaded.keyId()).isEqualTo(created.keyId()).hasSize(64);
        assertThat(loaded.publicKey().getEncoded()).isEqualTo(created.publicKey().getEncoded());
        assertThat(((ECPublicKey) loaded.publicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(384);
        // the public half derived from the stored PKCS#8 verifies what the original signed
        byte[] message = "checkpoint".getBytes();
        assertThat(CheckpointKey.verify(loaded.publicKey(), message, created.sign(message))).isTrue();
    }

    @Test
    void neverShowsThePrivateKey() {
        try (SealedFileSecretStore secrets = SealedFileSecretStore.open(dir)) {
            CheckpointKey key = CheckpointKey.loadOrCreate(secrets, CheckpointKey.DEFAULT_NAME);
            byte[] pkcs8 = secrets.get(CheckpointKey.DEFAULT_NAME).orElseThrow().revealBytes();
            String hex = HexFormat.of().formatHex(pkcs8);
            assertThat(key.toString()).contains(key.keyId()).contains("hidden").doesNotContain(hex.substring(hex.length() - 40));
        }
    }

    @Test
    void refusesAStoredKeyThatIsNotP384WithoutEchoingIt() {
        try (SealedFileSecretStore secrets = SealedFileSecretStore.open(dir)) {
            SecretName name = new SecretName("audit/not-a-key");
            secrets.put(name, Secret.ofBytes("not a key at all".getBytes()));
            assertThatThrownBy(() -> CheckpointKey.loadOrCreate(secrets, name))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageNotContaining("not a key at all")
                    .hasNoCause();
        }
    }

    @Test
    void aCheckpointSignatureCoversEveryField() {
        try (SealedFileSecretStore secrets = SealedFileSecretStore.open(dir)) {
            // given
            CheckpointKey key = CheckpointKey.loadOrCreate(secrets, CheckpointKey.DEFAULT_NAME);
            StreamId stream = new StreamId("broker-1");
            byte[] hash = AuditChain.genesis(stream);
            Checkpoint checkpoint = Checkpoint.sign(key, stream, 7, 3, hash, Instant.parse("2026-01-01T00:00:00.123456Z"));

            // then
            assertThat(checkpoint.signedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00.123Z"));
            assertThat(new String(checkpoint.statement())).isEqualTo("""
                    amtbus.audit-checkpoint/v1
                    stream=broker-1
                    seq=7
                    prev-seq=3
                    hash=df2b1a2fe8bb6fc6d8b958478b8a361606c4a6f9cc67bb8d8250160c7b8fc4a1
                    signed-at=2026-01-01T00:00:00.123Z
                    key-id=%s
                    """.formatted(key.keyId()));
            assertThat(CheckpointKey.verify(key.publicKey(), checkpoint.statement(), checkpoint.signature())).isTrue();
            Checkpoint otherSeq = new Checkpoint(stream, 8, 3, hash, checkpoint.signedAt(), key.keyId(),
                    checkpoint.signature());
            Checkpoint otherStream = new Checkpoint(new StreamId("broker-2"), 7, 3, hash, checkpoint.signedAt(),
                    key.keyId(), checkpoint.signature());
            Checkpoint otherPrev = new Checkpoint(stream, 7, 2, hash, checkpoint.signedAt(), key.keyId(),
                    checkpoint.signature());
            for (Checkpoint forged : new Checkpoint[] {otherSeq, otherStream, otherPrev}) {
                assertThat(CheckpointKey.verify(key.publicKey(), forged.statement(), forged.signature())).isFalse();
            }
            assertThat(CheckpointKey.verify(key.publicKey(), checkpoint.statement(), new byte[] {1, 2, 3})).isFalse();
        }
    }
}
