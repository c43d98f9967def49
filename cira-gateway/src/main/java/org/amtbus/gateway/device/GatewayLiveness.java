package org.amtbus.gateway.device;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.amtbus.platform.device.DeviceLeases;
import org.amtbus.schemas.model.GatewayId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this gateway's leases valid with one heartbeat row (renewed every third of the lease time), and
 * reaps the leases of gateways whose heartbeat lapsed, announcing those devices disconnected. Every gateway
 * reaps; {@link DeviceLeases#reapLapsed()} hands each lapsed lease to exactly one of them.
 */
public final class GatewayLiveness implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayLiveness.class);
    private final GatewayId gateway;
    private final UUID instanceId = UUID.randomUUID();
    private final DeviceLeases leases;
    private final DevicePresence presence;
    private final Duration leaseTime;
    private final ScheduledExecutorService timer;
    private final AtomicBoolean healthy = new AtomicBoolean();
    /** Set when the heartbeat had lapsed; cleared once the leases match the open connections again. */
    private boolean reconcilePending;

    public GatewayLiveness(GatewayId gateway, DeviceLeases leases, DevicePresence presence, Duration leaseTime) {
        this.gateway = Objects.requireNonNull(gateway);
        this.leases = Objects.requireNonNull(leases);
        this.presence = Objects.requireNonNull(presence);
        if (leaseTime.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("lease time must be at least 1 s");
        }
        this.leaseTime = leaseTime;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gateway-liveness-" + gateway.value());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Takes the gateway id, announces the devices of a previous run as gone, and starts the heartbeat.
     *
     * @throws IllegalStateException if another live gateway uses the id
     */
    public void start() {
        presence.reaped(leases.startGateway(gateway, instanceId, leaseTime), "gateway restarted");
        healthy.set(true);
        long period = Math.max(200, leaseTime.toMillis() / 3);
        timer.scheduleWithFixedDelay(this::beat, period, period, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::reap, period, period, TimeUnit.MILLISECONDS);
    }

    /** False while the heartbeat cannot be written (PostgreSQL down): routers stop sending to us. */
    public boolean healthy() {
        return healthy.get();
    }

    private void beat() {
        try {
            boolean lapsed = leases.heartbeat(gateway, instanceId, leaseTime);
            if (healthy.compareAndSet(false, true)) {
                LOG.info("gateway heartbeat restored [gateway: {}]", gateway);
            }
            if (lapsed) {
                // PostgreSQL was away (or this process paused) longer than the lease time: another gateway may
                // have reaped our leases while the connections stayed open
                LOG.warn("gateway heartbeat had lapsed; checking leases against open connections [gateway: {}]", gateway);
                reconcilePending = true;
            }
        } catch (RuntimeException e) {
            if (healthy.compareAndSet(true, false)) {
                LOG.warn("gateway heartbeat failed, leases will lapse [gateway: {}]: {}", gateway, e.toString());
            }
            return;
        }
        if (reconcilePending) {
            try {
                presence.reconcile();
                reconcilePending = false;
            } catch (RuntimeException e) {
                LOG.warn("could not check leases against open connections, trying again [gateway: {}]: {}", gateway,
                        e.toString());
            }
        }
    }

    private void reap() {
        try {
            presence.reaped(leases.reapLapsed(), "gateway heartbeat lapsed");
        } catch (RuntimeException e) {
            LOG.debug("lease reaping failed: {}", e.toString());
        }
    }

    /** Stops the heartbeat and ends it in the database, so routers stop sending at once. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            leases.stopHeartbeat(gateway);
        } catch (RuntimeException e) {
            LOG.warn("could not end the gateway heartbeat [gateway: {}]: {}", gateway, e.toString());
        }
    }
}
