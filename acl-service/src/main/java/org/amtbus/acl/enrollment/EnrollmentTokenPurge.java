package org.amtbus.acl.enrollment;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired agent enrollment tokens ({@link EnrollmentTokens#purgeExpired}: a day after their expiry, used or
 * not) at start and then every {@link #INTERVAL}, so the table holds only what can still be redeemed or explained.
 * Several nodes may run it against one database: the delete is idempotent. A database outage is logged and the next
 * round tries again.
 */
public final class EnrollmentTokenPurge implements AutoCloseable {

    public static final Duration INTERVAL = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(EnrollmentTokenPurge.class);

    private final EnrollmentTokens tokens;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "amtbus-enrollment-token-purge");
        t.setDaemon(true);
        return t;
    });

    private EnrollmentTokenPurge(EnrollmentTokens tokens) {
        this.tokens = Objects.requireNonNull(tokens);
    }

    /** Purges now (on the purge's own thread) and then every {@code interval}. */
    public static EnrollmentTokenPurge start(EnrollmentTokens tokens, Duration interval) {
        EnrollmentTokenPurge purge = new EnrollmentTokenPurge(tokens);
        purge.timer.scheduleWithFixedDelay(purge::purge, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return purge;
    }

    private void purge() {
        try {
            int purged = tokens.purgeExpired();
            if (purged > 0) {
                LOG.info("event=enrollment-tokens.purged count={}", purged);
            }
        } catch (RuntimeException e) {
            LOG.warn("event=enrollment-tokens.purge-failed reason=\"{}\" retryIn={}", e.getMessage(), INTERVAL);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
