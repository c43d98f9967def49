package org.amtbus.audit.verify;

import java.util.Objects;
import java.util.Optional;
import org.amtbus.audit.chain.StreamId;

/**
 * What the verifier found for one stream, up to its first problem.
 *
 * @param events            events checked (verification stops at the first problem)
 * @param firstSeq          seq of the first stored event (above 1 when a prefix was pruned at a checkpoint), 0 if none
 * @param lastSeq           seq of the last event checked, 0 if none
 * @param checkpoints       checkpoints checked
 * @param lastCheckpointSeq seq of the last valid checkpoint, 0 if none: events after it are chained but not yet signed
 */
public record StreamVerification(StreamId stream, long events, long firstSeq, long lastSeq, long checkpoints,
                                 long lastCheckpointSeq, Optional<Problem> problem) {

    public StreamVerification {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(problem, "problem");
    }

    public boolean intact() {
        return problem.isEmpty();
    }
}
