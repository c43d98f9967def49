package org.amtbus.provisioning;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash recovery of provisioning runs. Every {@code lease / 4} (and once at start) it refreshes the heartbeat
 * of the runs its worker is applying, then takes over every run whose heartbeat is older than {@code lease}
 * (its worker died mid-run, or a finished run's rollback could not reach the device) and rolls it back through
 * {@link ProvisioningWorker#recover}. Invariant: a run is recovered by one worker at a time (the take-over is
 * one row update), and never while its own worker is alive (a live worker refreshes its heartbeat four times a
 * lease). The device is reached through its agent, else over CIRA if the run got that far
 * ({@link DevicePaths#inProgress}). A recovery that cannot finish (no path yet) leaves the row and is retried a
 * lease later.
 * Runs on its own scheduler thread; blocking (JDBC, WS-Man).
 */
public final class StaleRuns implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StaleRuns.class);
    /** Stale runs taken over per sweep, so one sweep never runs for long. */
    private static final int MAX_PER_SWEEP = 16;

    private final ProvisioningWorker worker;
    private final ProvisioningRuns runs;
    private final DevicePaths paths;
    private final Duration lease;
    private final java.util.concurrent.atomic.AtomicLong recovered = new java.util.concurrent.atomic.AtomicLong();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "provisioning-stale-runs");
        t.setDaemon(true);
        return t;
    });

    public StaleRuns(ProvisioningWorker worker, ProvisioningRuns runs, DevicePaths paths, Duration lease) {
        this.worker = Objects.requireNonNull(worker);
        this.runs = Objects.requireNonNull(runs);
        this.paths = Objects.requireNonNull(paths);
        this.lease = Objects.requireNonNull(lease);
    }

    public StaleRuns start() {
        long period = Math.max(1, lease.toMillis() / 4);
        scheduler.scheduleWithFixedDelay(this::sweep, 0, period, TimeUnit.MILLISECONDS);
        return this;
    }

    /** One heartbeat and recovery pass; how many stale runs were rolled back. */
    int sweep() {
        try {
            runs.heartbeat(worker.workerId(), worker.activeDevices());
            int recovered = 0;
            for (int i = 0; i < MAX_PER_SWEEP; i++) {
                Optional<ProvisioningRuns.Stale> stale = runs.takeOverStale(worker.workerId(), lease);
                if (stale.isEmpty()) {
                    break;
                }
                ProvisioningRuns.Run run = stale.get().run();
                LOG.warn("event=provisioning.stale-run guid={} tenant={} request={} step={}", run.guid().value(),
                        run.tenant().value(), run.requestId(), stale.get().step());
                // a deferred run's heartbeat was restarted by the take-over: it comes back a lease later
                if (worker.recover(stale.get(), paths.inProgress(run.tenant(), run.guid()))) {
                    recovered++;
                    this.recovered.incrementAndGet();
                }
            }
            return recovered;
        } catch (RuntimeException e) {
            LOG.error("event=provisioning.stale-sweep-failed error={}", e.toString());
            return 0;
        }
    }

    /** Runs of dead workers rolled back by this one. */
    public long recoveredCount() {
        return recovered.get();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
