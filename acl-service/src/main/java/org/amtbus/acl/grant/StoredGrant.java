package org.amtbus.acl.grant;

import java.util.Objects;
import org.amtbus.acl.account.AccountName;

/** One row of the grants table: an account's level (0-3) on a topic pattern, as stored. */
public record StoredGrant(AccountName account, String pattern, int level) {
    public StoredGrant {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(pattern, "pattern");
        if (level < 0 || level > 3) {
            throw new IllegalArgumentException("level must be 0-3");
        }
    }
}
