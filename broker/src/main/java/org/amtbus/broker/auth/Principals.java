package org.amtbus.broker.auth;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.amtbus.acl.level.Access;
import org.amtbus.acl.level.AclAction;
import org.amtbus.acl.level.AclDecisionCache;

/**
 * The access of the usernames that authenticated on this broker, so the authorizer - which Moquette
 * hands only a username - decides on a verified account and its current grants, from memory.
 *
 * <p>Invariant: a username is present only after a successful password check on this broker, and is
 * refreshed (or removed) whenever an access change for it arrives. Decisions are cached per (username, action,
 * topic); the cache forgets a username's decisions whenever its access is replaced or removed, and no decision
 * computed from the old access is stored after that ({@link AclDecisionCache}).
 */
public final class Principals {

    /** Devices publish on a handful of topics each; this bounds the memory, not the hit rate. */
    private static final int CACHED_DECISIONS = 65_536;
    /** Changes also invalidate at once; the time limit only bounds how long an unused entry stays. */
    private static final Duration DECISION_TTL = Duration.ofMinutes(10);

    private final Map<String, Access> byUsername = new ConcurrentHashMap<>();
    private final AclDecisionCache decisions = new AclDecisionCache(CACHED_DECISIONS, DECISION_TTL);

    void authenticated(Access access) {
        String name = access.account().name().value();
        byUsername.put(name, access);
        decisions.invalidate(name);
    }

    /**
     * The decision for {@code action} on {@code topic} by the logged-in {@code username}, from the cache when it
     * is there; false for a username that did not log in here.
     */
    public boolean decide(String username, AclAction action, String topic) {
        if (username == null || !byUsername.containsKey(username)) {
            return false;
        }
        return decisions.decide(username, action, topic, () -> access(username).map(a -> safely(action, a, topic)).orElse(false));
    }

    /** A malformed topic is a denial, never an exception on a broker thread. */
    private static boolean safely(AclAction action, Access access, String topic) {
        try {
            return action.decide(access.policy(), topic);
        } catch (IllegalArgumentException e) {
            return false;
        }
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
            decisions.invalidate(username);
        }
    }
}
