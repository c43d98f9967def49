package org.amtbus.platform.kafka;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Kafka answered its last probe, kept current by a background thread, so a hot path (a publish on
 * the broker's interceptor thread) can ask without a round trip. Starts optimistic; a probe takes at most
 * {@link KafkaHealth#TIMEOUT}, so an outage is seen within about {@code period} + 3 s. Thread-safe.
 */
public final class KafkaAvailability implements BooleanSupplier, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaAvailability.class);
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(2);

    private final KafkaHealth probe;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kafka-availability");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean available = true;

    private KafkaAvailability(KafkaHealth probe) {
        this.probe = Objects.requireNonNull(probe);
    }

    /** Starts probing every {@code period}. */
    public static KafkaAvailability start(KafkaHealth probe, Duration period) {
        KafkaAvailability a = new KafkaAvailability(probe);
        a.timer.scheduleWithFixedDelay(a::probeOnce, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return a;
    }

    /** True unless the last probe failed. */
    @Override
    public boolean getAsBoolean() {
        return available;
    }

    private void probeOnce() {
        boolean now = probe.isHealthy();
        if (now != available) {
            LOG.info("event=kafka.availability available={}", now);
        }
        available = now;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
