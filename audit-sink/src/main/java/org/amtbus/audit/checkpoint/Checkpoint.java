package org.amtbus.audit.checkpoint;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Objects;
import org.amtbus.audit.chain.AuditChain;
import org.amtbus.audit.chain.Hex;
import org.amtbus.audit.chain.StreamId;

/**
 * A signed statement: "stream {@code stream} had the head {@code (seq, hash)} at {@code signedAt}, and
 * the checkpoint before this one was at {@code prevSeq}" (0 for the first). The signature covers
 * {@link #statement()}, a fixed UTF-8 text (see docs/audit.md). Invariants: {@code 0 <= prevSeq < seq};
 * {@code signedAt} has millisecond precision (it survives a round trip through PostgreSQL unchanged);
 * the arrays are copied in and out.
 */
public record Checkpoint(StreamId stream, long seq, long prevSeq, byte[] hash, Instant signedAt, String keyId,
                         byte[] signature) {

    /** First line of every statement; a new statement format gets a new version. */
    public static final String STATEMENT_VERSION = "amtbus.audit-checkpoint/v1";

    public Checkpoint {
        Objects.requireNonNull(stream, "stream");
        if (seq < 1 || prevSeq < 0 || prevSeq >= seq) {
            throw new IllegalArgumentException("a checkpoint needs 0 <= prevSeq < seq, was " + prevSeq + ", " + seq);
        }
        if (hash == null || hash.length != AuditChain.HASH_LENGTH) {
            throw new IllegalArgumentException("hash must be " + AuditChain.HASH_LENGTH + " bytes");
        }
        hash = hash.clone();
        signedAt = Objects.requireNonNull(signedAt, "signedAt").truncatedTo(ChronoUnit.MILLIS);
        Objects.requireNonNull(keyId, "keyId");
        signature = Objects.requireNonNull(signature, "signature").clone();
    }

    /** The exact bytes that are signed. */
    public byte[] statement() {
        return statement(stream, seq, prevSeq, hash, signedAt, keyId);
    }

    static byte[] statement(StreamId stream, long seq, long prevSeq, byte[] hash, Instant signedAt, String keyId) {
        String text = STATEMENT_VERSION + "\n"
                + "stream=" + stream.value() + "\n"
                + "seq=" + seq + "\n"
                + "prev-seq=" + prevSeq + "\n"
                + "hash=" + Hex.of(hash) + "\n"
                + "signed-at=" + signedAt.truncatedTo(ChronoUnit.MILLIS) + "\n"
                + "key-id=" + keyId + "\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Signs a new checkpoint with {@code key}. */
    public static Checkpoint sign(CheckpointKey key, StreamId stream, long seq, long prevSeq, byte[] hash,
                                  Instant signedAt) {
        Instant at = signedAt.truncatedTo(ChronoUnit.MILLIS);
        byte[] signature = key.sign(statement(stream, seq, prevSeq, hash, at, key.keyId()));
        return new Checkpoint(stream, seq, prevSeq, hash, at, key.keyId(), signature);
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint other && stream.equals(other.stream) && seq == other.seq
                && prevSeq == other.prevSeq && Arrays.equals(hash, other.hash) && signedAt.equals(other.signedAt)
                && keyId.equals(other.keyId) && Arrays.equals(signature, other.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stream, seq, Arrays.hashCode(hash));
    }

    @Override
    public String toString() {
        return "Checkpoint[stream=" + stream + ", seq=" + seq + ", prevSeq=" + prevSeq + ", hash=" + Hex.of(hash)
                + ", signedAt=" + signedAt + ", keyId=" + keyId + "]";
    }
}
