package org.amtbus.broker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The high and low marks, and who is woken when: the gate's whole contract with Moquette's queue counts. */
class SessionQueueLoadTest {

    @Test
    void holdsFromAThirdOfAQueueOnTwoLoopsAndWakesOnlyOnceEveryQueueIsBackAtHalfThat() {
        SessionQueueLoad load = new SessionQueueLoad();
        load.configure(2, 1024); // high 341, low 170
        for (int i = 0; i < 340; i++) {
            load.queued(1);
        }
        assertThat(load.saturated()).isFalse();
        load.queued(1);
        assertThat(load.saturated()).as("queue 1 at 341").isTrue();
        for (int i = 0; i < 200; i++) {
            load.queued(0);
        }

        AtomicInteger woken = new AtomicInteger();
        load.whenRoom(woken::incrementAndGet);
        for (int i = 0; i < 171; i++) {
            load.taken(1);
        }
        assertThat(load.saturated()).isFalse();
        assertThat(woken).as("queue 1 is at the low mark, queue 0 is not").hasValue(0);
        for (int i = 0; i < 30; i++) {
            load.taken(0);
        }
        assertThat(woken).as("both at or below 170").hasValue(1);
        load.taken(0);
        assertThat(woken).as("once per registration").hasValue(1);
    }

    @Test
    void aWaiterThatComesWhenTheQueuesAreAlreadyCalmRunsAtOnce() {
        SessionQueueLoad load = new SessionQueueLoad();
        load.configure(2, 64);
        AtomicInteger woken = new AtomicInteger();
        load.whenRoom(woken::incrementAndGet);
        assertThat(woken).hasValue(1);
        assertThat(load.awaitRoom(Duration.ZERO)).isTrue();
    }

    @Test
    void overrunsAreCountedPerThreadSoACallerCanTellItsOwnCallDroppedSomething() throws Exception {
        SessionQueueLoad load = new SessionQueueLoad();
        load.configure(2, 64);
        int before = load.overrunsOnThisThread();
        Thread other = Thread.ofPlatform().start(() -> load.overrun(0));
        other.join();
        assertThat(load.overrunsOnThisThread()).isEqualTo(before);
        load.overrun(1);
        assertThat(load.overrunsOnThisThread()).isEqualTo(before + 1);
        assertThat(load.overruns()).isEqualTo(2);
    }
}
