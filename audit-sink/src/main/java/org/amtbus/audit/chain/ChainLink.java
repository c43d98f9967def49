package org.amtbus.audit.chain;

import java.util.Arrays;

/**
 * The place of one event in its stream's chain: its sequence number, the hash of the event before
 * it (or the stream's genesis hash for seq 1) and its own hash. Invariant: {@code seq >= 1}, both
 * hashes are {@value AuditChain#HASH_LENGTH} bytes; the arrays are copied in and out.
 */
public record ChainLink(long seq, byte[] prevHash, byte[] hash) {

    public ChainLink {
        if (seq < 1) {
            throw new IllegalArgumentException("seq starts at 1, was " + seq);
        }
        prevHash = AuditChain.checkHash("prevHash", prevHash);
        hash = AuditChain.checkHash("hash", hash);
    }

    @Override
    public byte[] prevHash() {
        return prevHash.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChainLink other && seq == other.seq && Arrays.equals(prevHash, other.prevHash)
                && Arrays.equals(hash, other.hash);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq) * 31 + Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
        return "ChainLink[seq=" + seq + ", hash=" + Hex.of(hash) + "]";
    }
}
