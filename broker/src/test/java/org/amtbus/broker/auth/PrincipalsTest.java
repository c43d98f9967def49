package org.amtbus.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.amtbus.acl.account.Account;
import org.amtbus.acl.account.AccountName;
import org.amtbus.acl.level.Access;
import org.amtbus.acl.level.AclAction;
import org.amtbus.acl.level.AclLevel;
import org.amtbus.acl.level.AclPolicy;
import org.amtbus.acl.level.Grant;
import org.junit.jupiter.api.Test;

/** Cached publish/subscribe decisions follow the account's access: a change or removal takes effect at once. */
class PrincipalsTest {

    private static Access access(String name, Grant... grants) {
        return new Access(new Account(new AccountName(name), Account.Kind.USER, false, Instant.EPOCH, Optional.empty()),
                AclPolicy.of(List.of(grants)));
    }

    @Test
    void aCachedDecisionDoesNotOutliveTheGrantThatGaveIt() {
        Principals principals = new Principals();
        principals.authenticated(access("olga", Grant.of("site/#", AclLevel.BOTH)));
        assertThat(principals.decide("olga", AclAction.PUBLISH, "site/a")).isTrue();
        assertThat(principals.decide("olga", AclAction.PUBLISH, "site/a")).isTrue(); // from the cache

        principals.refresh("olga", name -> Optional.of(access(name, Grant.of("site/#", AclLevel.SUBSCRIBE))));
        assertThat(principals.decide("olga", AclAction.PUBLISH, "site/a")).isFalse();
        assertThat(principals.decide("olga", AclAction.SUBSCRIBE, "site/#")).isTrue();

        principals.refresh("olga", name -> Optional.empty());
        assertThat(principals.decide("olga", AclAction.SUBSCRIBE, "site/#")).isFalse();
    }

    @Test
    void aNewLoginReplacesTheCachedDecisionsAndStrangersGetNothing() {
        Principals principals = new Principals();
        principals.authenticated(access("ivan"));
        assertThat(principals.decide("ivan", AclAction.PUBLISH, "x/y")).isFalse();
        principals.authenticated(access("ivan", Grant.of("x/#", AclLevel.PUBLISH)));
        assertThat(principals.decide("ivan", AclAction.PUBLISH, "x/y")).isTrue();
        assertThat(principals.decide("nobody", AclAction.PUBLISH, "x/y")).isFalse();
        assertThat(principals.decide(null, AclAction.PUBLISH, "x/y")).isFalse();
        assertThat(principals.decide("ivan", AclAction.PUBLISH, "x/+")).as("a wildcard is not a topic").isFalse();
    }
}
