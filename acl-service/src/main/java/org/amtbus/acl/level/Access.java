package org.amtbus.acl.level;

import java.util.Objects;
import org.amtbus.acl.account.Account;

/** An authenticated account with the policy its grants give it. */
public record Access(Account account, AclPolicy policy) {
    public Access {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(policy, "policy");
    }
}
