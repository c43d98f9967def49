package org.amtbus.platform.kafka;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the Kafka cluster answers: one {@code describeCluster} round trip with a short timeout.
 *
 * <p>Blocks the calling thread for at most {@link #TIMEOUT}; thread-safe; never throws.
 */
public final class KafkaHealth {

    /** A live cluster answers in milliseconds; a probe must fail well before an orchestrator's own check. */
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    private static final Logger LOG = LoggerFactory.getLogger(KafkaHealth.class);

    private final Admin admin;

    public KafkaHealth(Admin admin) {
        this.admin = Objects.requireNonNull(admin, "admin");
    }

    public boolean isHealthy() {
        try {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                    .nodes()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .isEmpty();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("Kafka unhealthy: {}", e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
