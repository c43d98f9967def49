package org.amtbus.acl.admin;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.amtbus.acl.account.Account;
import org.amtbus.acl.account.AccountName;
import org.amtbus.acl.account.AccountStore;
import org.amtbus.acl.change.AclChange;
import org.amtbus.acl.change.AclChanges;
import org.amtbus.acl.grant.GrantStore;
import org.amtbus.acl.grant.StoredGrant;
import org.amtbus.acl.level.AclLevel;
import org.amtbus.acl.level.GrantTemplate;
import org.amtbus.acl.password.PasswordHasher;
import org.amtbus.acl.password.PasswordPolicy;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.TenantId;

/**
 * Account and grant administration, shared by the CLI and the HTTPS admin API ({@code AdminApi}).
 *
 * <p>Invariants: every change is an audit event naming the account and the pattern, never a password;
 * a refused change changes nothing and is audited too; the last superuser cannot be deleted; a new
 * account has no grants (level 0 everywhere). Blocking (JDBC, Argon2id).
 */
public final class AccountAdmin {

    private final AccountStore accounts;
    private final GrantStore grants;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final AuditLog audit;
    private final AclChanges changes;
    private final Clock clock;

    public AccountAdmin(AccountStore accounts, GrantStore grants, PasswordHasher hasher, PasswordPolicy policy,
                        AuditLog audit, AclChanges changes, Clock clock) {
        this.accounts = Objects.requireNonNull(accounts);
        this.grants = Objects.requireNonNull(grants);
        this.hasher = Objects.requireNonNull(hasher);
        this.policy = Objects.requireNonNull(policy);
        this.audit = Objects.requireNonNull(audit);
        this.changes = Objects.requireNonNull(changes);
        this.clock = Objects.requireNonNull(clock);
    }

    /** Creates a user of no tenant; the password must meet the policy. */
    public Account addUser(String name, char[] password, boolean superuser, AuditEvent.Actor by) {
        return addAccount(name, Account.Kind.USER, password, superuser, Optional.empty(), by);
    }

    /**
     * Creates a user or service account, optionally in a tenant (so its {@code {tenant}} grants resolve);
     * the password must meet the policy and is wiped from {@code password} afterwards.
     */
    public Account addAccount(String name, Account.Kind kind, char[] password, boolean superuser, Optional<TenantId> tenant,
                              AuditEvent.Actor by) {
        try {
            AccountName account = name(name, "user.created", by);
            Optional<String> weak = policy.check(account.value(), password);
            if (weak.isPresent()) {
                refuse("user.created", by, account.value(), weak.get());
            }
            Account created = new Account(account, kind, superuser, clock.instant(), tenant);
            String hash = hasher.hash(password);
            if (!accounts.create(created, hash)) {
                refuse("user.created", by, account.value(), AdminException.Problem.CONFLICT, "an account with this name exists");
            }
            audit.event("user.created").actor(by).tenant(tenant.orElse(null)).target(account.value())
                    .detail("kind", kind.name().toLowerCase(java.util.Locale.ROOT))
                    .detail("superuser", String.valueOf(superuser)).emit();
            return created;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** Puts an account into a tenant, or out of any (empty); a change of access, so live sessions end. */
    public void assignTenant(String name, Optional<TenantId> tenant, AuditEvent.Actor by) {
        AccountName account = name(name, "acl.changed", by);
        if (!accounts.setTenant(account, tenant)) {
            refuse("acl.changed", by, account.value(), AdminException.Problem.NOT_FOUND, "no such account");
        }
        audit.event("acl.changed").actor(by).tenant(tenant.orElse(null)).target(account.value())
                .detail("change", "tenant").detail("tenant", tenant.map(TenantId::value).orElse("none")).emit();
        changes.publish(new AclChange(account.value(), AclChange.Kind.REVOKED, clock.instant()));
    }

    public Optional<Account> find(String name) {
        return AccountName.tryParse(name).flatMap(accounts::find);
    }

    /** Sets a new password (the user's own change or an admin reset). */
    public void changePassword(String name, char[] password, AuditEvent.Actor by) {
        AccountName account;
        try {
            account = name(name, "user.password-changed", by);
            Optional<String> weak = policy.check(account.value(), password);
            if (weak.isPresent()) {
                refuse("user.password-changed", by, account.value(), weak.get());
            }
            if (!accounts.setPasswordHash(account, hasher.hash(password))) {
                refuse("user.password-changed", by, account.value(), AdminException.Problem.NOT_FOUND, "no such account");
            }
        } finally {
            Arrays.fill(password, '\0');
        }
        audit.event("user.password-changed").actor(by).target(account.value()).emit();
        changes.publish(new AclChange(account.value(), AclChange.Kind.PASSWORD_CHANGED, clock.instant()));
    }

    /** Deletes an account and its grants; refuses to delete the last superuser. */
    public void delete(String name, AuditEvent.Actor by) {
        AccountName account = name(name, "user.deleted", by);
        Optional<Account> existing = accounts.find(account);
        if (existing.isEmpty()) {
            refuse("user.deleted", by, account.value(), AdminException.Problem.NOT_FOUND, "no such account");
        }
        if (existing.get().superuser() && accounts.list().stream().filter(Account::superuser).count() <= 1) {
            refuse("user.deleted", by, account.value(), AdminException.Problem.CONFLICT, "the last superuser cannot be deleted");
        }
        accounts.delete(account);
        audit.event("user.deleted").actor(by).target(account.value()).emit();
        changes.publish(new AclChange(account.value(), AclChange.Kind.DELETED, clock.instant()));
    }

    public List<Account> list() {
        return accounts.list();
    }

    /** Grants {@code level} (0-3) on {@code pattern}; replaces an earlier level on the same pattern. */
    public void grant(String name, String pattern, int level, AuditEvent.Actor by) {
        AccountName account = name(name, "acl.changed", by);
        Optional<String> badPattern = TopicPatterns.problem(pattern);
        if (badPattern.isPresent()) {
            refuse("acl.changed", by, account.value(), "pattern: " + badPattern.get());
        }
        if (level < 0 || level > 3) {
            refuse("acl.changed", by, account.value(), "level must be 0, 1, 2 or 3");
        }
        try {
            new GrantTemplate(pattern, AclLevel.of(level)); // the engine must accept what we store
        } catch (IllegalArgumentException e) {
            refuse("acl.changed", by, account.value(), "pattern: " + e.getMessage());
        }
        if (accounts.find(account).isEmpty()) {
            refuse("acl.changed", by, account.value(), AdminException.Problem.NOT_FOUND, "no such account");
        }
        int previous = grants.of(account).stream().filter(g -> g.pattern().equals(pattern))
                .mapToInt(StoredGrant::level).findFirst().orElse(0);
        grants.put(new StoredGrant(account, pattern, level));
        audit.event("acl.changed").actor(by).target(account.value()).detail("pattern", pattern)
                .detail("level", String.valueOf(level)).detail("change", "grant").emit();
        // a level that drops a permission (3 -> 1, 2 -> 0, ...) is a revocation for live sessions
        boolean narrowed = (previous & ~level) != 0;
        changes.publish(new AclChange(account.value(), narrowed ? AclChange.Kind.REVOKED : AclChange.Kind.GRANTED,
                clock.instant()));
    }

    /** Removes the grant on exactly {@code pattern}. */
    public void revoke(String name, String pattern, AuditEvent.Actor by) {
        AccountName account = name(name, "acl.changed", by);
        if (!grants.revoke(account, pattern)) {
            refuse("acl.changed", by, account.value(), AdminException.Problem.NOT_FOUND, "no grant on this pattern");
        }
        audit.event("acl.changed").actor(by).target(account.value()).detail("pattern", pattern).detail("change", "revoke").emit();
        changes.publish(new AclChange(account.value(), AclChange.Kind.REVOKED, clock.instant()));
    }

    public List<StoredGrant> grantsOf(String name) {
        return grants.of(AccountName.tryParse(name)
                .orElseThrow(() -> new AdminException(AdminException.Problem.NOT_FOUND, "no such account")));
    }

    public List<StoredGrant> allGrants() {
        return grants.all();
    }

    private AccountName name(String name, String type, AuditEvent.Actor by) {
        return AccountName.tryParse(name).orElseGet(() -> {
            refuse(type, by, null, "names are 1-64 letters, digits, '.', '_', '@' or '-' (never '+', '#', '/' or NUL)");
            return null;
        });
    }

    private void refuse(String type, AuditEvent.Actor by, String target, String reason) {
        refuse(type, by, target, AdminException.Problem.INVALID, reason);
    }

    private void refuse(String type, AuditEvent.Actor by, String target, AdminException.Problem problem, String reason) {
        audit.event(type).actor(by).target(target).outcome(AuditEvent.Outcome.DENIED).reason(reason).emit();
        throw new AdminException(problem, reason);
    }

    /** A refused administrative change: a client error, with a reason that names no secret. */
    public static final class AdminException extends RuntimeException {

        /** What kind of client error, so the HTTPS API can answer 400, 404 or 409. */
        public enum Problem { INVALID, NOT_FOUND, CONFLICT }

        private final Problem problem;

        public AdminException(String reason) {
            this(Problem.INVALID, reason);
        }

        public AdminException(Problem problem, String reason) {
            super(reason);
            this.problem = java.util.Objects.requireNonNull(problem);
        }

        public Problem problem() {
            return problem;
        }
    }
}
