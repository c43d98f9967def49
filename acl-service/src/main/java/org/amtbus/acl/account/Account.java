package org.amtbus.acl.account;

import java.time.Instant;
import java.util.Objects;

/**
 * A user or service account. Holds no password material: the hash stays inside {@link AccountStore}.
 */
public record Account(AccountName name, Kind kind, boolean superuser, Instant createdAt) {

    /** People log in as users; each internal component has its own service account. */
    public enum Kind { USER, SERVICE }

    public Account {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
