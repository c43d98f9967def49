package org.amtbus.acl.level;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AclPolicyTest {

    private static final String D1 = "amtbus/v1/acme/devices/d1";

    /**
     * The level matrix: one grant of {@code level} on an exact topic, a {@code +} pattern or a
     * {@code #} pattern; then publish to the exact topic and subscribe to the exact topic, a
     * {@code +} filter and a {@code #} filter.
     */
    @ParameterizedTest(name = "level {0} on {1}: pub={2} subExact={3} subPlus={4} subHash={5}")
    @CsvSource(delimiter = '|', value = {
        // level | grant pattern                 | pub   | sub d1 | sub devices/+ | sub devices/#
        "0 | amtbus/v1/acme/devices/d1 | false | false | false | false",
        "0 | amtbus/v1/acme/devices/+  | false | false | false | false",
        "0 | amtbus/v1/acme/devices/#  | false | false | false | false",
        "1 | amtbus/v1/acme/devices/d1 | false | true  | false | false",
        "1 | amtbus/v1/acme/devices/+  | false | true  | true  | false",
        "1 | amtbus/v1/acme/devices/#  | false | true  | true  | true",
        "2 | amtbus/v1/acme/devices/d1 | true  | false | false | false",
        "2 | amtbus/v1/acme/devices/+  | true  | false | false | false",
        "2 | amtbus/v1/acme/devices/#  | true  | false | false | false",
        "3 | amtbus/v1/acme/devices/d1 | true  | true  | false | false",
        "3 | amtbus/v1/acme/devices/+  | true  | true  | true  | false",
        "3 | amtbus/v1/acme/devices/#  | true  | true  | true  | true",
    })
    void levelMatrix(int level, String pattern, boolean pub, boolean subExact, boolean subPlus, boolean subHash) {
        // given
        AclPolicy policy = AclPolicy.of(List.of(Grant.of(pattern, AclLevel.of(level))));
        // when / then
        assertThat(policy.canPublish(D1)).isEqualTo(pub);
        assertThat(policy.canReceive(D1)).isEqualTo(subExact);
        assertThat(policy.canSubscribe(new TopicFilter(D1))).isEqualTo(subExact);
        assertThat(policy.canSubscribe(new TopicFilter("amtbus/v1/acme/devices/+"))).isEqualTo(subPlus);
        assertThat(policy.canSubscribe(new TopicFilter("amtbus/v1/acme/devices/#"))).isEqualTo(subHash);
        // and nothing outside the pattern, whatever the level
        assertThat(policy.canPublish("amtbus/v1/other/devices/d1")).isFalse();
        assertThat(policy.canSubscribe(new TopicFilter("amtbus/v1/other/devices/d1"))).isFalse();
    }

    @Test
    void newAccountWithoutGrantsIsDeniedEverything() {
        AclPolicy policy = AclPolicy.denyAll();
        assertThat(policy.canPublish("a")).isFalse();
        assertThat(policy.canSubscribe(new TopicFilter("#"))).isFalse();
        assertThat(policy.canReceive("a")).isFalse();
        assertThat(AclPolicy.of(List.of()).canPublish("a")).isFalse();
    }

    @Test
    void subscriptionWiderThanTheGrantIsRefused() {
        // given
        AclPolicy policy = AclPolicy.of(List.of(Grant.of("amtbus/v1/acme/#", AclLevel.BOTH)));
        // then
        assertThat(policy.canSubscribe(new TopicFilter("amtbus/v1/acme/#"))).isTrue();
        assertThat(policy.canSubscribe(new TopicFilter("amtbus/v1/acme/+/status"))).isTrue();
        assertThat(policy.canSubscribe(new TopicFilter("amtbus/v1/#"))).isFalse();
        assertThat(policy.canSubscribe(new TopicFilter("amtbus/v1/+/devices/#"))).isFalse();
        assertThat(policy.canSubscribe(new TopicFilter("#"))).isFalse();
        assertThat(policy.canSubscribe(new TopicFilter("+/v1/acme/#"))).isFalse();
    }

    @Test
    void tenantScopedGrantDoesNotReachOtherTenantsThroughWildcards() {
        // given: only acme is granted through a template
        AclPolicy policy = AclPolicy.resolve(
                List.of(new GrantTemplate("amtbus/v1/{tenant}/devices/#", AclLevel.BOTH)),
                Identity.of("alice", Set.of("acme")));
        // then
        assertThat(policy.canSubscribe(new TopicFilter("amtbus/v1/acme/devices/#"))).isTrue();
        assertThat(policy.canSubscribe(new TopicFilter("amtbus/v1/+/devices/#"))).isFalse();
        assertThat(policy.canPublish("amtbus/v1/globex/devices/d1")).isFalse();
        assertThat(policy.canPublish("amtbus/v1/acme/devices/d1")).isTrue();
    }

    @Test
    void explicitNoneGrantCarvesASubTreeOutOfAWiderGrant() {
        // given
        AclPolicy policy = AclPolicy.of(List.of(
                Grant.of("amtbus/v1/acme/#", AclLevel.BOTH),
                Grant.of("amtbus/v1/acme/secrets/#", AclLevel.NONE)));
        // then: publish is denied inside the carved sub-tree only
        assertThat(policy.canPublish("amtbus/v1/acme/devices/d1")).isTrue();
        assertThat(policy.canPublish("amtbus/v1/acme/secrets/k1")).isFalse();
        assertThat(policy.canPublish("amtbus/v1/acme/secrets")).isFalse();
        assertThat(policy.canReceive("amtbus/v1/acme/secrets/k1")).isFalse();
        // and a subscription that could deliver a denied topic is refused
        assertThat(policy.canSubscribe(new TopicFilter("amtbus/v1/acme/devices/#"))).isTrue();
        assertThat(policy.canSubscribe(new TopicFilter("amtbus/v1/acme/secrets/#"))).isFalse();
        assertThat(policy.canSubscribe(new TopicFilter("amtbus/v1/acme/#"))).isFalse();
        assertThat(policy.canSubscribe(new TopicFilter("amtbus/v1/acme/+/k1"))).isFalse();
        assertThat(policy.canSubscribe(new TopicFilter("amtbus/v1/acme/+/status"))).isFalse();
    }

    @Test
    void denyWinsWhateverTheOrderOfGrants() {
        List<Grant> denyLast = List.of(Grant.of("a/#", AclLevel.BOTH), Grant.of("a/x", AclLevel.NONE));
        List<Grant> denyFirst = List.of(Grant.of("a/x", AclLevel.NONE), Grant.of("a/#", AclLevel.BOTH));
        for (List<Grant> grants : List.of(denyLast, denyFirst)) {
            AclPolicy policy = AclPolicy.of(grants);
            assertThat(policy.canPublish("a/x")).isFalse();
            assertThat(policy.canPublish("a/y")).isTrue();
            assertThat(policy.grants().get(0).level()).isEqualTo(AclLevel.NONE);
        }
    }

    @Test
    void subscribeAndPublishGrantsOnTheSameTopicCombine() {
        AclPolicy policy = AclPolicy.of(List.of(Grant.of("a/b", AclLevel.SUBSCRIBE), Grant.of("a/+", AclLevel.PUBLISH)));
        assertThat(policy.canPublish("a/b")).isTrue();
        assertThat(policy.canSubscribe(new TopicFilter("a/b"))).isTrue();
        assertThat(policy.canSubscribe(new TopicFilter("a/+"))).isFalse();
    }

    @Test
    void superuserMaySubscribeEverywhereButPublishesToNoReservedTopic() {
        AclPolicy policy = AclPolicy.superuser();
        assertThat(policy.isSuperuser()).isTrue();
        assertThat(policy.canPublish("amtbus/v1/any/thing")).isTrue();
        assertThat(policy.canSubscribe(new TopicFilter("#"))).isTrue();
        assertThat(policy.canSubscribe(new TopicFilter("$SYS/#"))).isTrue();
        assertThat(policy.canReceive("$SYS/broker/uptime")).isTrue();
        assertThat(policy.canPublish("$SYS/broker/uptime")).isFalse();
        assertThat(policy.canPublish("a/+")).isFalse();
    }

    @Test
    void superuserFlagIgnoresGrantsIncludingDenies() {
        AclPolicy policy = new AclPolicy(List.of(Grant.of("a/#", AclLevel.NONE)), true);
        assertThat(policy.canPublish("a/b")).isTrue();
    }

    @Test
    void sysTopicsAreNotReachedByWildcardGrants() {
        AclPolicy policy = AclPolicy.of(List.of(Grant.of("#", AclLevel.BOTH), Grant.of("+/#", AclLevel.BOTH)));
        assertThat(policy.canSubscribe(new TopicFilter("$SYS/#"))).isFalse();
        assertThat(policy.canSubscribe(new TopicFilter("$SYS/broker/uptime"))).isFalse();
        assertThat(policy.canReceive("$SYS/broker/uptime")).isFalse();
        assertThat(policy.canPublish("$SYS/broker/uptime")).isFalse();
        assertThat(policy.canSubscribe(new TopicFilter("#"))).isTrue();
    }

    @Test
    void explicitSysGrantAllowsSubscribingButNeverPublishing() {
        AclPolicy policy = AclPolicy.of(List.of(Grant.of("$SYS/broker/#", AclLevel.BOTH)));
        assertThat(policy.canSubscribe(new TopicFilter("$SYS/broker/clients/+"))).isTrue();
        assertThat(policy.canPublish("$SYS/broker/uptime")).isFalse();
    }

    @Test
    void sharedSubscriptionPrefixIsNotStrippedAndThereforeRefused() {
        AclPolicy policy = AclPolicy.of(List.of(Grant.of("#", AclLevel.BOTH)));
        assertThat(policy.canSubscribe("$share/g/a/b")).isFalse();
    }

    @Test
    void invalidInputIsDeniedNotThrown() {
        AclPolicy policy = AclPolicy.of(List.of(Grant.of("#", AclLevel.BOTH)));
        assertThat(policy.canPublish(null)).isFalse();
        assertThat(policy.canPublish("")).isFalse();
        assertThat(policy.canPublish("a/#")).isFalse();
        assertThat(policy.canPublish("a\0b")).isFalse();
        assertThat(policy.canPublish("x".repeat(TopicFilter.MAX_LENGTH + 1))).isFalse();
        assertThat(policy.canSubscribe((TopicFilter) null)).isFalse();
        assertThat(policy.canSubscribe((String) null)).isFalse();
        assertThat(policy.canSubscribe("a/#/b")).isFalse();
        assertThat(policy.canReceive("a/+")).isFalse();
    }
}
