package org.amtbus.audit.verify;

import java.util.List;
import java.util.Optional;

/**
 * The verdict on the whole trail: one entry per stream (by stream id) and the first problem of the
 * first stream that has one. Intact means every chain links, every event hashes, and every
 * checkpoint is validly signed by a trusted key and matches its chain.
 */
public record VerificationResult(List<StreamVerification> streams) {

    public VerificationResult {
        streams = List.copyOf(streams);
    }

    public boolean intact() {
        return streams.stream().allMatch(StreamVerification::intact);
    }

    public Optional<Problem> firstProblem() {
        return streams.stream().map(StreamVerification::problem).flatMap(Optional::stream).findFirst();
    }

    public List<Problem> problems() {
        return streams.stream().map(StreamVerification::problem).flatMap(Optional::stream).toList();
    }

    public long events() {
        return streams.stream().mapToLong(StreamVerification::events).sum();
    }

    public long checkpoints() {
        return streams.stream().mapToLong(StreamVerification::checkpoints).sum();
    }
}
