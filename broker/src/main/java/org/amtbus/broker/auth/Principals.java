package org.amtbus.broker.auth;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.amtbus.acl.account.Account;

/**
 * The accounts behind the usernames that authenticated on this broker, so the authorizer - which
 * Moquette hands only a username - decides on a verified account and never on a claimed name.
 *
 * <p>Invariant: a username is present only after a successful password check on this broker.
 */
public final class Principals {

    private final Map<String, Account> byUsername = new ConcurrentHashMap<>();

    void authenticated(Account account) {
        byUsername.put(account.name().value(), account);
    }

    /** The verified account for a username, if it ever logged in here. */
    public Optional<Account> account(String username) {
        return username == null ? Optional.empty() : Optional.ofNullable(byUsername.get(username));
    }

    /** Forgets an account (deleted or changed): its next operation needs a fresh login. */
    public void forget(String username) {
        byUsername.remove(username);
    }
}
