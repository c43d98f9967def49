package org.amtbus.acl.level;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.amtbus.acl.account.Account;
import org.amtbus.acl.account.AccountName;
import org.amtbus.acl.account.AccountStore;
import org.amtbus.acl.grant.GrantStore;
import org.amtbus.acl.grant.StoredGrant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds an account's {@link Access} from the database: superusers get everything, others exactly
 * their grants. Blocking (JDBC): call it at login or on an access change, never per message.
 */
public final class AccessLoader {

    private static final Logger LOG = LoggerFactory.getLogger(AccessLoader.class);

    private final AccountStore accounts;
    private final GrantStore grants;

    public AccessLoader(AccountStore accounts, GrantStore grants) {
        this.accounts = Objects.requireNonNull(accounts);
        this.grants = Objects.requireNonNull(grants);
    }

    /** The account's access now; empty when the account no longer exists. */
    public Optional<Access> load(AccountName name) {
        return accounts.find(name).map(this::accessOf);
    }

    /**
     * The access of an account already read. Placeholders ({@code {username}}, {@code {tenant}}) are
     * resolved for this account; an account without a tenant gets nothing from a {@code {tenant}}
     * grant (and a {@code {tenant}} deny denies it every tenant).
     */
    public Access accessOf(Account account) {
        if (account.superuser()) {
            return new Access(account, AclPolicy.superuser());
        }
        List<GrantTemplate> templates = new ArrayList<>();
        for (StoredGrant g : grants.of(account.name())) {
            try {
                templates.add(new GrantTemplate(g.pattern(), AclLevel.of(g.level())));
            } catch (IllegalArgumentException e) {
                // stored before validation tightened: ignoring an allowing row can only take access away
                LOG.warn("event=acl.grant-ignored account={} reason=\"{}\"", account.name(), e.getMessage());
            }
        }
        try {
            return new Access(account, AclPolicy.resolve(templates, Identity.of(account.name().value(),
                    account.tenant().map(t -> java.util.Set.of(t.value())).orElse(java.util.Set.of()))));
        } catch (IllegalArgumentException e) {
            LOG.warn("event=acl.policy-denied account={} reason=\"{}\"", account.name(), e.getMessage());
            return new Access(account, AclPolicy.denyAll());
        }
    }
}
