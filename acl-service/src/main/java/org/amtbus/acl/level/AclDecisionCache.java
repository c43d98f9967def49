package org.amtbus.acl.level;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * A bounded, time-limited cache of ACL decisions keyed by (account, action, topic).
 *
 * <p>Invariants: at most {@code maxEntries} entries (least recently used evicted first); an entry
 * older than {@code ttl} is never returned; after {@link #invalidate(String)} or
 * {@link #invalidateAll()} returns, no decision computed before the call is returned or stored
 * for the accounts concerned - a computation racing an invalidation is discarded, not cached.
 * Thread-safe: every access to the map holds the instance lock; the decision itself is computed
 * outside the lock.
 */
public final class AclDecisionCache {

    private record Key(String account, AclAction action, String topic) {
    }

    private record Decision(boolean allowed, long storedAtNanos) {
    }

    private final int maxEntries;
    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final LinkedHashMap<Key, Decision> entries;
    private long generation;

    /**
     * @param maxEntries at least 1
     * @param ttl positive time limit per entry
     * @param nanoClock a monotonic clock in nanoseconds, {@code System::nanoTime} in production
     */
    public AclDecisionCache(int maxEntries, Duration ttl, LongSupplier nanoClock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1");
        }
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isZero() || ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must be positive");
        }
        this.maxEntries = maxEntries;
        this.ttlNanos = ttl.toNanos();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Decision> eldest) {
                return size() > AclDecisionCache.this.maxEntries;
            }
        };
    }

    /** A cache on {@link System#nanoTime()}. */
    public AclDecisionCache(int maxEntries, Duration ttl) {
        this(maxEntries, ttl, System::nanoTime);
    }

    /** The cached decision, if one is present and fresh. */
    public synchronized Optional<Boolean> get(String account, AclAction action, String topic) {
        Key key = new Key(account, action, topic);
        Decision entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (nanoClock.getAsLong() - entry.storedAtNanos() >= ttlNanos) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(entry.allowed());
    }

    /** Stores a decision, replacing any previous one for the same key. */
    public synchronized void put(String account, AclAction action, String topic, boolean allowed) {
        entries.put(new Key(account, action, topic), new Decision(allowed, nanoClock.getAsLong()));
    }

    /**
     * The cached decision, or else {@code compute}'s answer, which is cached unless an invalidation
     * happened while it ran. {@code compute} runs without the lock and may run concurrently for the
     * same key; it must be side-effect free.
     */
    public boolean decide(String account, AclAction action, String topic, BooleanSupplier compute) {
        long seen;
        synchronized (this) {
            Optional<Boolean> cached = get(account, action, topic);
            if (cached.isPresent()) {
                return cached.get();
            }
            seen = generation;
        }
        boolean allowed = compute.getAsBoolean();
        synchronized (this) {
            if (generation == seen) {
                put(account, action, topic, allowed);
            }
        }
        return allowed;
    }

    /** Drops every decision for {@code account}, e.g. after its grants or password changed. */
    public synchronized void invalidate(String account) {
        generation++;
        Iterator<Key> keys = entries.keySet().iterator();
        while (keys.hasNext()) {
            if (Objects.equals(keys.next().account(), account)) {
                keys.remove();
            }
        }
    }

    /** Drops every decision. */
    public synchronized void invalidateAll() {
        generation++;
        entries.clear();
    }

    /** Number of entries held, fresh or not yet noticed to be stale. */
    public synchronized int size() {
        return entries.size();
    }
}
