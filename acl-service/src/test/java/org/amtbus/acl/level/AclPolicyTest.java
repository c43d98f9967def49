package org.amtbus.acl.level;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AclPolicyTest {

    private static final String DEVICE = "amtbus/v1/acme/devices/3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    private static AclPolicy granted(String pattern, int level) {
        return AclPolicy.of(List.of(new AclPolicy.Grant(new TopicFilter(pattern), AclLevel.of(level))));
    }

    @ParameterizedTest(name = "level {0} on {1}: publish {2}, subscribe exact {3}, subscribe + {4}, subscribe # {5}")
    @CsvSource({
            "0, amtbus/v1/acme/#, false, false, false, false",
            "1, amtbus/v1/acme/#, false, true, true, true",
            "2, amtbus/v1/acme/#, true, false, false, false",
            "3, amtbus/v1/acme/#, true, true, true, true",
            "3, amtbus/v1/acme/devices/+/results, false, true, true, false",
            "1, amtbus/v1/acme/devices/+/results, false, true, true, false",
    })
    void theLevelMatrix(int level, String pattern, boolean publish, boolean subscribeExact, boolean subscribePlus,
                        boolean subscribeHash) {
        AclPolicy policy = granted(pattern, level);
        assertThat(policy.canPublish(DEVICE + "/commands")).isEqualTo(publish);
        assertThat(policy.canSubscribe(DEVICE + "/results")).isEqualTo(subscribeExact);
        assertThat(policy.canSubscribe("amtbus/v1/acme/devices/+/results")).isEqualTo(subscribePlus);
        assertThat(policy.canSubscribe("amtbus/v1/acme/#")).isEqualTo(subscribeHash);
    }

    @Test
    void aSubscriptionWiderThanTheGrantIsRefused() {
        AclPolicy policy = granted("amtbus/v1/acme/#", 3);
        assertThat(policy.canSubscribe("amtbus/v1/#")).isFalse();
        assertThat(policy.canSubscribe("amtbus/v1/+/devices/#")).isFalse();
        assertThat(policy.canSubscribe("#")).isFalse();
        assertThat(policy.canSubscribe("amtbus/v1/other/alerts")).isFalse();
    }

    @Test
    void aNewAccountHasNoAccessAndASuperuserHasAll() {
        assertThat(AclPolicy.none().canPublish(DEVICE + "/commands")).isFalse();
        assertThat(AclPolicy.none().canSubscribe("#")).isFalse();
        assertThat(AclPolicy.superuser().canSubscribe("#")).isTrue();
        assertThat(AclPolicy.superuser().canPublish(DEVICE + "/commands")).isTrue();
    }

    @Test
    void anExplicitLevelZeroCarvesASubtreeOutOfAWiderGrant() {
        AclPolicy policy = AclPolicy.of(List.of(
                new AclPolicy.Grant(new TopicFilter("amtbus/v1/acme/#"), AclLevel.BOTH),
                new AclPolicy.Grant(new TopicFilter("amtbus/v1/acme/alerts"), AclLevel.NONE)));
        assertThat(policy.canSubscribe("amtbus/v1/acme/alerts")).isFalse();
        assertThat(policy.canSubscribe("amtbus/v1/acme/#")).isFalse(); // could reach the denied topic
        assertThat(policy.canSubscribe("amtbus/v1/acme/devices/#")).isTrue();
        assertThat(policy.canPublish("amtbus/v1/acme/alerts")).isFalse();
        assertThat(policy.canPublish(DEVICE + "/commands")).isTrue();
    }

    @Test
    void publishingToAWildcardOrADollarTopicIsRefused() {
        AclPolicy policy = granted("#", 3);
        assertThat(policy.canPublish("amtbus/v1/+/alerts")).isFalse();
        assertThat(policy.canPublish("$SYS/broker/uptime")).isFalse();
        assertThat(policy.canSubscribe("$SYS/#")).isFalse();
    }
}
