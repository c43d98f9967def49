package org.amtbus.router;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.amtbus.platform.device.DeviceLeases;
import org.amtbus.schemas.model.CommandResult;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure no forwarded command waits forever: a command whose result deadline passed, or whose gateway's
 * heartbeat lapsed, is answered by the router: {@code indeterminate} for a power change (it may have
 * happened; it is never replayed), {@code failed} for a query. Also republishes results a crash left
 * unpublished, and forgets commands older than the de-duplication window. Every router runs one; the
 * ledger lets only one decision per command win.
 */
public final class DeadlineSweeper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeadlineSweeper.class);
    private static final Set<String> QUERIES = Set.of("power.state", "amt.info", "amt.settings");
    private static final int BATCH = 500;

    private final CommandLedger ledger;
    private final TerminalResults results;
    private final Duration dedupeWindow;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "router-deadlines");
        t.setDaemon(true);
        return t;
    });

    public DeadlineSweeper(CommandLedger ledger, TerminalResults results, Duration dedupeWindow) {
        this.ledger = Objects.requireNonNull(ledger);
        this.results = Objects.requireNonNull(results);
        this.dedupeWindow = Objects.requireNonNull(dedupeWindow);
    }

    public void start(Duration period) {
        timer.scheduleWithFixedDelay(this::sweepSafely, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::housekeepSafely, 10, 60, TimeUnit.SECONDS);
    }

    /** One pass: answers overdue commands; the number answered. */
    public int sweep() {
        int answered = 0;
        for (CommandLedger.Overdue o : ledger.overdue(BATCH)) {
            boolean query = QUERIES.contains(o.action());
            String reason = (o.gatewayGone() ? "gateway " + o.gateway() + " stopped" : "no result from gateway " + o.gateway()
                    + " before the deadline") + (query ? "" : "; the power change may or may not have happened, it is not repeated");
            if (results.decideOwn(o.commandId(), new TenantId(o.tenant()), DeviceGuid.of(o.guid()), o.action(),
                    query ? CommandResult.Status.FAILED : CommandResult.Status.INDETERMINATE, reason, null,
                    java.util.Optional.empty())) {
                answered++;
            }
        }
        if (answered > 0) {
            results.flush();
            LOG.info("answered overdue commands [count: {}]", answered);
        }
        return answered;
    }

    private void sweepSafely() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("deadline sweep failed, retrying: {}", e.toString());
        }
    }

    private void housekeepSafely() {
        try {
            for (CommandLedger.Unpublished u : ledger.unpublished(Duration.ofSeconds(30), BATCH)) {
                results.republish(u.commandId(), u.guid(), u.result());
            }
            results.flush();
            int purged = ledger.purge(dedupeWindow);
            if (purged > 0) {
                LOG.debug("forgot old commands [count: {}]", purged);
            }
        } catch (RuntimeException e) {
            LOG.warn("command ledger housekeeping failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
