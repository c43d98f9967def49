package org.amtbus.broker.auth;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.amtbus.acl.level.Access;

/**
 * The access of the usernames that authenticated on this broker, so the authorizer - which Moquette
 * hands only a username - decides on a verified account and its current grants, from memory.
 *
 * <p>Invariant: a username is present only after a successful password check on this broker, and is
 * refreshed (or removed) whenever an access change for it arrives.
 */
public final class Principals {

    private final Map<String, Access> byUsername = new ConcurrentHashMap<>();

    void authenticated(Access access) {
        byUsername.put(access.account().name().value(), access);
    }

    /** The verified access for a username, if it logged in here. */
    public Optional<Access> access(String username) {
        return username == null ? Optional.empty() : Optional.ofNullable(byUsername.get(username));
    }

    /**
     * Re-reads a logged-in account's access after a change; removes it when the account is gone.
     * Blocking (the loader reads the database): call it off the event loops.
     */
    public void refresh(String username, Function<String, Optional<Access>> loader) {
        if (byUsername.containsKey(username)) {
            loader.apply(username).ifPresentOrElse(a -> byUsername.put(username, a), () -> byUsername.remove(username));
        }
    }
}
