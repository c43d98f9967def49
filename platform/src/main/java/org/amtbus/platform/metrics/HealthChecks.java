package org.amtbus.platform.metrics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What a process depends on, checked on demand for {@code GET /health}: the database answers, Kafka answers, the
 * gateway's heartbeat is written, and so on. Each check gets {@link #TIMEOUT}; a result is reused for
 * {@link #CACHE} so a busy health prober cannot load the database. Thread-safe.
 */
public final class HealthChecks {

    public static final Duration TIMEOUT = Duration.ofSeconds(4);
    public static final Duration CACHE = Duration.ofSeconds(2);

    private record Last(boolean up, long at) {
    }

    private static final java.util.concurrent.ExecutorService RUNNER = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, BooleanSupplier> checks = new ConcurrentHashMap<>();
    private final Map<String, Last> last = new ConcurrentHashMap<>();

    /** Adds a check; {@code check} may block (it runs on a virtual thread with a timeout). */
    public void register(String name, BooleanSupplier check) {
        checks.put(name, check);
    }

    /** Every check's state now, by name (sorted). */
    public Map<String, Boolean> evaluate() {
        Map<String, Boolean> out = new java.util.TreeMap<>();
        long now = System.nanoTime();
        Map<String, CompletableFuture<Boolean>> running = new LinkedHashMap<>();
        checks.forEach((name, check) -> {
            Last cached = last.get(name);
            if (cached != null && now - cached.at() < CACHE.toNanos()) {
                out.put(name, cached.up());
            } else {
                running.put(name, CompletableFuture.supplyAsync(() -> safely(check), RUNNER));
            }
        });
        running.forEach((name, future) -> {
            boolean up;
            try {
                up = future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                up = false;
            }
            last.put(name, new Last(up, System.nanoTime()));
            out.put(name, up);
        });
        return out;
    }

    private static boolean safely(BooleanSupplier check) {
        try {
            return check.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
