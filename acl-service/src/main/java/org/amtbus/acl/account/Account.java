package org.amtbus.acl.account;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.amtbus.schemas.model.TenantId;

/**
 * A user or service account. Holds no password material: the hash stays inside {@link AccountStore}.
 *
 * <p>Invariant: the tenant, when present, is a valid {@link TenantId}, so {@code {tenant}} in a grant
 * template can only ever resolve to a plain topic level (no wildcard, no {@code /}, no NUL).
 *
 * @param tenant the tenant the account belongs to; empty for none (then {@code {tenant}} grants allow nothing)
 */
public record Account(AccountName name, Kind kind, boolean superuser, Instant createdAt, Optional<TenantId> tenant) {

    /** People log in as users; each internal component has its own service account. */
    public enum Kind { USER, SERVICE }

    public Account {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(tenant, "tenant");
    }

    /** An account of no tenant. */
    public Account(AccountName name, Kind kind, boolean superuser, Instant createdAt) {
        this(name, kind, superuser, createdAt, Optional.empty());
    }
}
