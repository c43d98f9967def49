package org.amtbus.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ProcessStatsTest {

    @Test
    void cpuSecondsAreUtimePlusStimeEvenWhenTheCommandNameHasSpacesAndParentheses() {
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 130 0 0 20 0 42 0 100 0 0";
        assertThat(ProcessStats.cpuSecondsOf(stat)).isCloseTo(3.80, within(1e-9));
    }

    @Test
    void heapUsedComesFromTheG1Line() {
        String heapInfo = """
                18395:
                 garbage-first heap   total reserved 524288K, committed 131072K, used 80123K [0x00000000e0000000, 0x0000000100000000)
                  region size 1024K, 3 young (3072K), 0 survivors (0K)
                 Metaspace       used 60000K, committed 61000K, reserved 1114112K
                """;
        assertThat(ProcessStats.heapUsedKib(heapInfo)).isEqualTo(80123);
    }

    @Test
    void unreadableHeapInfoIsMinusOne() {
        assertThat(ProcessStats.heapUsedKib("18395:\nCould not attach")).isEqualTo(-1);
    }

    @Test
    void thisProcessHasUsedSomeCpuAndHasAResidentSet() {
        long pid = ProcessHandle.current().pid();
        assertThat(ProcessStats.cpuSeconds(pid)).isPositive();
        assertThat(ProcessStats.rssKib(pid)).isPositive();
    }
}
