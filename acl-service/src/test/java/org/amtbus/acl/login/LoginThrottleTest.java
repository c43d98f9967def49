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

    @Test
    void staysBoundedAndKeepsRunningLocksWhenFlooded() {
        // given a throttle for 4 keys, one of them locked
        LoginThrottle small = new LoginThrottle(3, Duration.ofSeconds(30), Duration.ofMinutes(5), clock, 4);
        for (int i = 0; i < 3; i++) {
            small.failed("203.0.113.7");
        }

        // when 100 fresh addresses fail once each
        for (int i = 0; i < 100; i++) {
            small.failed("198.51.100." + i);
        }

        // then memory is bounded and the lock still holds
        assertThat(small.size()).isLessThanOrEqualTo(4);
        assertThat(small.isLocked("203.0.113.7")).isTrue();
    }

    @Test
    void countsIpv6AddressesByTheirSlash64() throws Exception {
        SourceAddress a = SourceAddress.of(java.net.InetAddress.getByName("2001:db8:0:1::17"));
        SourceAddress b = SourceAddress.of(java.net.InetAddress.getByName("2001:db8:0:1:ffff::99"));
        SourceAddress c = SourceAddress.of(java.net.InetAddress.getByName("2001:db8:0:2::17"));
        SourceAddress v4 = SourceAddress.of(java.net.InetAddress.getByName("192.0.2.10"));

        assertThat(a.key()).isEqualTo(b.key()).isEqualTo("2001:db8:0:1:0:0:0:0/64");
        assertThat(c.key()).isNotEqualTo(a.key());
        assertThat(a.address()).isEqualTo("2001:db8:0:1:0:0:0:17");
        assertThat(v4.key()).isEqualTo("192.0.2.10");
    }
}
