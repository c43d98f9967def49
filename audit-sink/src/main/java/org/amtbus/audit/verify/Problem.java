package org.amtbus.audit.verify;

import java.util.Objects;
import org.amtbus.audit.chain.StreamId;

/**
 * The first thing wrong with one stream's trail.
 *
 * @param seq    the sequence number the problem is at: the edited, missing or inserted event, or the
 *               checkpoint's seq for checkpoint problems
 * @param detail one line for an operator; hashes and seqs, never event content
 */
public record Problem(Kind kind, StreamId stream, long seq, String detail) {

    public enum Kind {
        /** An event's bytes, hash or search columns were changed. */
        EDITED,
        /** Events are missing at this seq (a gap, or later events renumbered over it). */
        DELETED,
        /** An event that was never chained sits at this seq. */
        INSERTED,
        /** Events were moved: the event at this seq belongs elsewhere in the chain. */
        REORDERED,
        /** A checkpoint names a seq beyond the stored chain: events were cut from the end. */
        TRUNCATED,
        /** A checkpoint's signature does not verify with its key. */
        BAD_SIGNATURE,
        /** A checkpoint is signed by a key the verifier was not told to trust, or an unknown key id. */
        UNTRUSTED_KEY,
        /** A correctly signed checkpoint's hash differs from the chain's hash at its seq (the chain was rewritten). */
        CHECKPOINT_MISMATCH,
        /** A checkpoint names a predecessor that is not the checkpoint before it (a checkpoint was removed). */
        CHECKPOINT_MISSING
    }

    public Problem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return kind + " [stream: " + stream + ", seq: " + seq + "] " + detail;
    }
}
