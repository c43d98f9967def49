package org.amtbus.acl.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.amtbus.platform.testing.ManualClock;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final ManualClock clock = new ManualClock();
    private final LoginThrottle throttle = new LoginThrottle(3, Duration.ofSeconds(30), Duration.ofMinutes(5), clock);

    @Test
    void locksAfterTheThresholdAndDoublesTheLockUpToTheMaximum() {
        assertThat(throttle.failed("alice")).isEqualTo(LoginThrottle.Failure.COUNTED);
        assertThat(throttle.failed("alice")).isEqualTo(LoginThrottle.Failure.COUNTED);
        assertThat(throttle.isLocked("alice")).isFalse();
        assertThat(throttle.failed("alice")).isEqualTo(LoginThrottle.Failure.LOCKED);
        assertThat(throttle.isLocked("alice")).isTrue();

        clock.advance(Duration.ofSeconds(31));
        assertThat(throttle.isLocked("alice")).isFalse();
        throttle.failed("alice"); // 4th: 60 s
        clock.advance(Duration.ofSeconds(59));
        assertThat(throttle.isLocked("alice")).isTrue();
        clock.advance(Duration.ofSeconds(2));
        assertThat(throttle.isLocked("alice")).isFalse();

        for (int i = 0; i < 10; i++) {
            throttle.failed("alice");
        }
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThat(throttle.isLocked("alice")).as("capped at the maximum").isFalse();
    }

    @Test
    void aSuccessResetsAndOtherAccountsAreUnaffected() {
        throttle.failed("bob");
        throttle.failed("bob");
        throttle.succeeded("bob");
        throttle.failed("bob");
        throttle.failed("bob");
        assertThat(throttle.isLocked("bob")).isFalse();
        throttle.failed("carol");
        throttle.failed("carol");
        throttle.failed("carol");
        assertThat(throttle.isLocked("carol")).isTrue();
        assertThat(throttle.isLocked("bob")).isFalse();
    }

    @Test
    void oldFailuresAreForgotten() {
        throttle.failed("dave");
        throttle.failed("dave");
        clock.advance(LoginThrottle.FAILURE_MEMORY.plusSeconds(1));
        assertThat(throttle.failed("dave")).isEqualTo(LoginThrottle.Failure.COUNTED);
    }
}
