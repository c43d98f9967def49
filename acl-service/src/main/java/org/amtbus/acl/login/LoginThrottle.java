package org.amtbus.acl.login;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Brute-force protection per key (an account name, or a {@link SourceAddress#key()}): after {@code threshold} consecutive failures the account is
 * locked for {@code baseLock}, doubling with every further failure up to {@code maxLock}. A success
 * resets it. While locked, the right password is refused with the same answer as a wrong one.
 *
 * <p>Thread-safe, in memory (per process). Memory is bounded: an entry exists only for a key with
 * recent failures, and at most {@code capacity} keys are tracked; when full, forgotten failures are
 * swept first, then counts that hold no lock, so a flood of fresh addresses can end no running lock.
 */
public final class LoginThrottle {

    public static final int DEFAULT_THRESHOLD = 5;
    public static final Duration DEFAULT_BASE_LOCK = Duration.ofSeconds(30);
    public static final Duration DEFAULT_MAX_LOCK = Duration.ofMinutes(15);
    /** Failures older than this are forgotten, so occasional typos never add up to a lock. */
    public static final Duration FAILURE_MEMORY = Duration.ofHours(1);
    /** Keys tracked at most by default: a few MB, far more than the accounts or attackers of one node. */
    public static final int DEFAULT_CAPACITY = 100_000;

    /** The outcome of recording a failure. */
    public enum Failure { COUNTED, LOCKED }

    private record State(int failures, Instant lastFailure, Instant lockedUntil) { }

    private final int threshold;
    private final Duration baseLock;
    private final Duration maxLock;
    private final Clock clock;
    private final int capacity;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    public LoginThrottle(int threshold, Duration baseLock, Duration maxLock, Clock clock) {
        this(threshold, baseLock, maxLock, clock, DEFAULT_CAPACITY);
    }

    public LoginThrottle(int threshold, Duration baseLock, Duration maxLock, Clock clock, int capacity) {
        if (threshold < 1 || baseLock.isNegative() || baseLock.isZero() || maxLock.compareTo(baseLock) < 0) {
            throw new IllegalArgumentException("lockout: threshold >= 1 and 0 < base <= max");
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("lockout: capacity >= 1");
        }
        this.capacity = capacity;
        this.threshold = threshold;
        this.baseLock = baseLock;
        this.maxLock = maxLock;
        this.clock = Objects.requireNonNull(clock);
    }

    /** True while the account is locked. */
    public boolean isLocked(String account) {
        State s = states.get(account);
        return s != null && s.lockedUntil() != null && clock.instant().isBefore(s.lockedUntil());
    }

    /** Records a failed attempt; {@link Failure#LOCKED} when this failure starts (or extends) a lock. */
    public Failure failed(String account) {
        Instant now = clock.instant();
        if (states.size() >= capacity && !states.containsKey(account)) {
            makeRoom(now);
            if (states.size() >= capacity) {
                return Failure.COUNTED; // every tracked key is locked: keep those locks, count nothing new
            }
        }
        State next = states.compute(account, (name, s) -> {
            int failures = s == null || s.lastFailure().plus(FAILURE_MEMORY).isBefore(now) ? 1 : s.failures() + 1;
            Instant lockedUntil = null;
            if (failures >= threshold) {
                int doublings = Math.min(failures - threshold, 20);
                Duration lock = baseLock.multipliedBy(1L << doublings);
                lockedUntil = now.plus(lock.compareTo(maxLock) > 0 ? maxLock : lock);
            }
            return new State(failures, now, lockedUntil);
        });
        return next.lockedUntil() != null ? Failure.LOCKED : Failure.COUNTED;
    }

    private void makeRoom(Instant now) {
        states.values().removeIf(s -> s.lastFailure().plus(FAILURE_MEMORY).isBefore(now)
                && (s.lockedUntil() == null || !now.isBefore(s.lockedUntil())));
        if (states.size() >= capacity) {
            states.values().removeIf(s -> s.lockedUntil() == null || !now.isBefore(s.lockedUntil()));
        }
    }

    /** Keys currently tracked (for metrics and tests). */
    public int size() {
        return states.size();
    }

    /** A successful login forgets the account's failures. */
    public void succeeded(String account) {
        states.remove(account);
    }
}
