package org.amtbus.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void nearestRankPercentilesOfOneToAHundredMilliseconds() {
        Latencies l = new Latencies(1_000);
        for (int ms = 100; ms >= 1; ms--) { // recorded out of order
            l.record(ms * 1_000_000L);
        }
        Latencies.Summary s = l.summary();
        assertThat(s.count()).isEqualTo(100);
        assertThat(s.p50Ms()).isCloseTo(50.0, within(1e-9));
        assertThat(s.p99Ms()).isCloseTo(99.0, within(1e-9));
        assertThat(s.maxMs()).isCloseTo(100.0, within(1e-9));
    }

    @Test
    void aSingleSampleIsEveryPercentile() {
        assertThat(Latencies.percentile(new long[] {7}, 50)).isEqualTo(7);
        assertThat(Latencies.percentile(new long[] {7}, 99)).isEqualTo(7);
    }

    @Test
    void beyondCapacityOnlyCounts() {
        Latencies l = new Latencies(2);
        l.record(1);
        l.record(2);
        l.record(3);
        assertThat(l.count()).isEqualTo(2);
        assertThat(l.dropped()).isEqualTo(1);
    }

    @Test
    void nothingRecordedIsEmptyNotZero() {
        assertThat(new Latencies(4).summary()).isEqualTo(Latencies.Summary.EMPTY);
        assertThat(Latencies.Summary.EMPTY.p99Ms()).isNaN();
    }
}
