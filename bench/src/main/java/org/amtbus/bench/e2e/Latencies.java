package org.amtbus.bench.e2e;

import java.util.Arrays;

/**
 * Latency samples in nanoseconds, recorded from many threads, read once at the end of a run. Bounded: a run
 * records at most {@code capacity} samples and counts the rest only (a bench run is bounded in count anyway).
 */
final class Latencies {

    private final long[] samples;
    private int size;
    private long dropped;

    Latencies(int capacity) {
        this.samples = new long[capacity];
    }

    synchronized void record(long nanos) {
        if (size < samples.length) {
            samples[size++] = nanos;
        } else {
            dropped++;
        }
    }

    synchronized int count() {
        return size;
    }

    synchronized long dropped() {
        return dropped;
    }

    /** The summary of what was recorded; {@link Summary#EMPTY} when nothing was. */
    synchronized Summary summary() {
        if (size == 0) {
            return Summary.EMPTY;
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        return new Summary(size, millis(percentile(sorted, 50)), millis(percentile(sorted, 99)),
                millis(sorted[sorted.length - 1]));
    }

    /** Nearest-rank percentile of a sorted array. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }

    /** Percentiles in milliseconds. */
    record Summary(int count, double p50Ms, double p99Ms, double maxMs) {
        static final Summary EMPTY = new Summary(0, Double.NaN, Double.NaN, Double.NaN);
    }
}
