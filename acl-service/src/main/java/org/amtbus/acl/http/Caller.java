package org.amtbus.acl.http;

import java.util.Objects;
import org.amtbus.acl.account.Account;
import org.amtbus.schemas.model.AuditEvent;

/** Who made an authenticated API request: an existing account, and whether it holds the admin role (superuser). */
record Caller(Account account, String source) {

    Caller {
        Objects.requireNonNull(account);
        Objects.requireNonNull(source);
    }

    boolean admin() {
        return account.superuser();
    }

    String name() {
        return account.name().value();
    }

    AuditEvent.Actor actor() {
        return account.kind() == Account.Kind.SERVICE ? AuditEvent.Actor.service(name()) : AuditEvent.Actor.user(name());
    }
}
