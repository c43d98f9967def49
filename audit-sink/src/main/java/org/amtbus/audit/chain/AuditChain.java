package org.amtbus.audit.chain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The head of one stream's SHA-256 hash chain, and the chain's definition.
 *
 * <p>For the n-th event of a stream (n = 1, 2, 3, ...):
 * {@code hash_n = SHA-256(hash_{n-1} || event_bytes_n || seq_n)}, where {@code event_bytes_n} are the
 * canonical bytes of the event (the Kafka record value exactly as received: UTF-8 JSON as written by
 * {@code org.amtbus.schemas.Json.write}, stored verbatim and never re-serialized) and {@code seq_n} is
 * n as 8 bytes big-endian. {@code hash_0} is the stream's genesis hash,
 * {@code SHA-256("amtbus.audit-chain/v1" || 0x00 || UTF-8 stream id)}, which binds a chain to its
 * stream. Both ends of the concatenation have a fixed length, so it is unambiguous.
 *
 * <p>Invariant: {@link #append} hands out consecutive sequence numbers, each link's previous hash is
 * the hash of the link before it. Not thread-safe: one instance per stream and writer.
 */
public final class AuditChain {

    public static final int HASH_LENGTH = 32;
    /** Domain separation of the genesis hash; a new chain version gets a new label. */
    public static final String GENESIS_LABEL = "amtbus.audit-chain/v1";

    private final StreamId stream;
    private final MessageDigest digest = sha256();
    private long seq;
    private byte[] head;

    private AuditChain(StreamId stream, long seq, byte[] head) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.seq = seq;
        this.head = head;
    }

    /** A new, empty chain: the first {@link #append} returns seq 1. */
    public static AuditChain start(StreamId stream) {
        return new AuditChain(stream, 0, genesis(stream));
    }

    /** Continues a chain whose last link is {@code (seq, hash)}; {@code seq == 0} means empty. */
    public static AuditChain resume(StreamId stream, long seq, byte[] hash) {
        if (seq < 0) {
            throw new IllegalArgumentException("seq must be >= 0, was " + seq);
        }
        return new AuditChain(stream, seq, seq == 0 ? genesis(stream) : checkHash("hash", hash));
    }

    /** Chains the next event; {@code eventBytes} must be the canonical bytes that will be stored. */
    public ChainLink append(byte[] eventBytes) {
        long next = Math.addExact(seq, 1);
        byte[] hash = link(digest, head, eventBytes, next);
        ChainLink link = new ChainLink(next, head, hash);
        seq = next;
        head = hash;
        return link;
    }

    public StreamId stream() {
        return stream;
    }

    /** Sequence number of the last link, 0 when empty. */
    public long seq() {
        return seq;
    }

    /** Hash of the last link, or the genesis hash when empty. */
    public byte[] head() {
        return head.clone();
    }

    /** {@code hash_0} of a stream. */
    public static byte[] genesis(StreamId stream) {
        MessageDigest digest = sha256();
        digest.update(GENESIS_LABEL.getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) 0);
        digest.update(stream.value().getBytes(StandardCharsets.UTF_8));
        return digest.digest();
    }

    /** {@code SHA-256(prevHash || eventBytes || seq as 8 bytes big-endian)}. */
    public static byte[] link(byte[] prevHash, byte[] eventBytes, long seq) {
        return link(sha256(), checkHash("prevHash", prevHash), eventBytes, seq);
    }

    private static byte[] link(MessageDigest digest, byte[] prevHash, byte[] eventBytes, long seq) {
        Objects.requireNonNull(eventBytes, "eventBytes");
        digest.reset();
        digest.update(prevHash);
        digest.update(eventBytes);
        digest.update(ByteBuffer.allocate(Long.BYTES).putLong(seq).array());
        return digest.digest();
    }

    static byte[] checkHash(String name, byte[] hash) {
        if (hash == null || hash.length != HASH_LENGTH) {
            throw new IllegalArgumentException(name + " must be " + HASH_LENGTH + " bytes");
        }
        return hash.clone();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
