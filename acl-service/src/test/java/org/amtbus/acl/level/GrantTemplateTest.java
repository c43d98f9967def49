package org.amtbus.acl.level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GrantTemplateTest {

    @ParameterizedTest
    @ValueSource(strings = {"+", "#", "a/b", "x'--", "", "a\0b", "a+", "#a", "{tenant}", "$SYS", " acme", "acme ",
        "a\"b", "a;b", "-a", "é"})
    void refusesWildcardAndInjectionStringsAsIdentities(String bad) {
        assertThat(IdentityToken.isSafe(bad)).isFalse();
        assertThatThrownBy(() -> IdentityToken.require("tenant", bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("tenant ");
        assertThatThrownBy(() -> Identity.of(bad, Set.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Identity("alice", bad, Set.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Identity.of("alice", Set.of(bad))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesOverlongIdentities() {
        assertThat(IdentityToken.isSafe("x".repeat(IdentityToken.MAX_LENGTH))).isTrue();
        assertThat(IdentityToken.isSafe("x".repeat(IdentityToken.MAX_LENGTH + 1))).isFalse();
    }

    @Test
    void refusesNullIdentities() {
        assertThat(IdentityToken.isSafe(null)).isFalse();
        assertThatThrownBy(() -> Identity.of(null, Set.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Identity.of("alice", null)).isInstanceOf(IllegalArgumentException.class);
        Set<String> withNull = new LinkedHashSet<>();
        withNull.add(null);
        assertThatThrownBy(() -> Identity.of("alice", withNull)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"acme", "acme-corp", "a.b_c@d:e", "A1", "0"})
    void acceptsPlainIdentities(String good) {
        assertThat(IdentityToken.require("tenant", good)).isEqualTo(good);
    }

    @Test
    void resolvesTenantPlaceholderOncePerTenant() {
        // given
        GrantTemplate template = new GrantTemplate("amtbus/v1/{tenant}/devices/#", AclLevel.SUBSCRIBE);
        // when
        List<Grant> grants = template.resolve(Identity.of("alice", Set.of("acme", "globex")));
        // then
        assertThat(grants).containsExactlyInAnyOrder(
                Grant.of("amtbus/v1/acme/devices/#", AclLevel.SUBSCRIBE),
                Grant.of("amtbus/v1/globex/devices/#", AclLevel.SUBSCRIBE));
    }

    @Test
    void resolvesUsernameAndClientIdAndRepeatedTenant() {
        GrantTemplate template = new GrantTemplate("t/{tenant}/u/{username}/c/{clientid}/{tenant}", AclLevel.BOTH);
        assertThat(template.hasPlaceholder()).isTrue();
        assertThat(template.resolve(new Identity("alice", "cli-1", Set.of("acme"))))
                .containsExactly(Grant.of("t/acme/u/alice/c/cli-1/acme", AclLevel.BOTH));
    }

    @Test
    void allowingTemplateWithoutValueYieldsNoGrant() {
        assertThat(new GrantTemplate("t/{tenant}/#", AclLevel.BOTH).resolve(Identity.of("alice", Set.of()))).isEmpty();
        assertThat(new GrantTemplate("c/{clientid}/#", AclLevel.BOTH).resolve(Identity.of("alice", Set.of("acme")))).isEmpty();
    }

    @Test
    void denyTemplateWithoutValueDeniesForEveryValueInstead() {
        // given: a deny that cannot be resolved must not silently disappear
        List<GrantTemplate> templates = List.of(
                new GrantTemplate("t/#", AclLevel.BOTH),
                new GrantTemplate("t/{tenant}/secrets/#", AclLevel.NONE),
                new GrantTemplate("c/{clientid}", AclLevel.NONE));
        // when
        List<Grant> grants = GrantTemplate.resolveAll(templates, Identity.of("alice", Set.of()));
        // then
        assertThat(grants).contains(Grant.of("t/+/secrets/#", AclLevel.NONE), Grant.of("c/+", AclLevel.NONE));
        AclPolicy policy = AclPolicy.of(grants);
        assertThat(policy.canPublish("t/anyone/secrets/k")).isFalse();
        assertThat(policy.canPublish("t/anyone/public/k")).isTrue();
    }

    @Test
    void templateWithoutPlaceholderResolvesToItself() {
        GrantTemplate template = new GrantTemplate("amtbus/v1/health", AclLevel.SUBSCRIBE);
        assertThat(template.hasPlaceholder()).isFalse();
        assertThat(template.resolve(Identity.of("alice", Set.of()))).containsExactly(Grant.of("amtbus/v1/health", AclLevel.SUBSCRIBE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/{tenant}x/b", "a/{other}/b", "a/{tenant", "a/tenant}", "a/#/{tenant}", "a/{tenant}+", "a\0"})
    void refusesMalformedTemplates(String pattern) {
        assertThatThrownBy(() -> new GrantTemplate(pattern, AclLevel.BOTH)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesNullPatternOrLevel() {
        assertThatThrownBy(() -> new GrantTemplate(null, AclLevel.BOTH)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GrantTemplate("a", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Grant(null, AclLevel.BOTH)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Grant(new TopicFilter("a"), null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void resolutionPastTheLengthLimitThrowsRatherThanTruncates() {
        GrantTemplate template = new GrantTemplate("x".repeat(200) + "/{tenant}", AclLevel.BOTH);
        Identity identity = Identity.of("alice", Set.of("t".repeat(100)));
        assertThatThrownBy(() -> template.resolve(identity)).isInstanceOf(IllegalArgumentException.class);
    }
}
