package org.amtbus.platform.tls;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches certificates for coming expiry: at start and then every {@link #CHECK_INTERVAL}, each one
 * that expires within the threshold (30 days by default, matching the alert rule) is reported to a
 * listener, which logs and audits it ({@code cert.expiring}).
 *
 * <p>Runs its periodic check on one daemon thread of its own.
 */
public final class CertificateExpiryWatch implements AutoCloseable {

    public static final Duration DEFAULT_THRESHOLD = Duration.ofDays(30);
    /** Twice a day: expiry is a matter of days, and a long-running process still hears of it in time. */
    public static final Duration CHECK_INTERVAL = Duration.ofHours(12);

    /** Told about each certificate inside the threshold; {@code remaining} may be negative (expired). */
    public interface Listener {
        void expiring(String name, X509Certificate certificate, Duration remaining);
    }

    private final Map<String, X509Certificate> certificates;
    private final Clock clock;
    private final Duration threshold;
    private final Listener listener;
    private ScheduledExecutorService scheduler;

    public CertificateExpiryWatch(Map<String, X509Certificate> certificates, Clock clock, Duration threshold, Listener listener) {
        this.certificates = Map.copyOf(certificates);
        this.clock = Objects.requireNonNull(clock);
        this.threshold = Objects.requireNonNull(threshold);
        this.listener = Objects.requireNonNull(listener);
    }

    /** Checks now; returns the names of the certificates that were reported. */
    public List<String> checkNow() {
        Instant now = clock.instant();
        return certificates.entrySet().stream()
                .filter(e -> Duration.between(now, e.getValue().getNotAfter().toInstant()).compareTo(threshold) <= 0)
                .peek(e -> listener.expiring(e.getKey(), e.getValue(), Duration.between(now, e.getValue().getNotAfter().toInstant())))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    /** Checks now and then periodically until closed. */
    public CertificateExpiryWatch start() {
        checkNow();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "amtbus-cert-expiry");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleAtFixedRate(this::checkNow, CHECK_INTERVAL.toMinutes(), CHECK_INTERVAL.toMinutes(), TimeUnit.MINUTES);
        return this;
    }

    /** Seconds until each certificate expires (for a metrics gauge). */
    public double secondsLeft(String name) {
        return Duration.between(clock.instant(), certificates.get(name).getNotAfter().toInstant()).toSeconds();
    }

    public java.util.Set<String> names() {
        return certificates.keySet();
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
