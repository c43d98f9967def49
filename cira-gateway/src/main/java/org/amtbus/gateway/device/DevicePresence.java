package org.amtbus.gateway.device;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.platform.device.DeviceLeases;
import org.amtbus.platform.device.Lease;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.GatewayId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a device comes and goes: the lease in PostgreSQL, the link in {@link ConnectedDevices},
 * {@code Presence} on Kafka and the audit event. Invariant: presence "connected" follows a successful claim;
 * "disconnected" follows only a release that still named the current connection (or a reaped lease), so a
 * late disconnect of a replaced connection publishes nothing. Blocking: call from a worker thread.
 */
public final class DevicePresence {

    private static final Logger LOG = LoggerFactory.getLogger(DevicePresence.class);
    private final GatewayId gateway;
    private final DeviceLeases leases;
    private final ConnectedDevices connected;
    private final PresencePublisher presence;
    private final AuditLog audit;
    private final Counter connects;
    private final Counter disconnects;

    public DevicePresence(GatewayId gateway, DeviceLeases leases, ConnectedDevices connected, PresencePublisher presence,
                          AuditLog audit, MeterRegistry metrics) {
        this.gateway = Objects.requireNonNull(gateway);
        this.leases = Objects.requireNonNull(leases);
        this.connected = Objects.requireNonNull(connected);
        this.presence = Objects.requireNonNull(presence);
        this.audit = Objects.requireNonNull(audit);
        this.connects = metrics.counter("amtbus.cira.devices.connected");
        this.disconnects = metrics.counter("amtbus.cira.devices.disconnected");
        metrics.gauge("amtbus.cira.devices.online", connected, ConnectedDevices::size);
    }

    /** The device is usable: claim it, make the link current (closing an older one here) and announce it. */
    public void arrived(DeviceLink link) {
        var device = link.device();
        Optional<Lease> replaced = leases.claim(device.guid(), gateway, link.connectionId());
        connected.put(link).filter(old -> old != link).ifPresent(old -> old.disconnect("replaced by a newer connection"));
        presence.connected(device.tenant(), device.guid(), gateway);
        connects.increment();
        var event = audit.event("device.connected").actor(AuditEvent.Actor.device(device.guid()))
                .source(link.remoteAddress()).tenant(device.tenant()).target("device:" + device.guid().value())
                .outcome(AuditEvent.Outcome.SUCCESS).detail("gateway", gateway.value())
                .detail("connection", link.connectionId().toString());
        replaced.ifPresent(l -> event.detail("replaced-gateway", l.gatewayId().value()));
        event.emit();
        LOG.info("device connected [guid: {}, tenant: {}, from: {}]", device.guid(), device.tenant(), link.remoteAddress());
    }

    /** The connection is gone; announce the device gone unless a newer connection already holds it. */
    public void left(DeviceLink link, String reason) {
        var device = link.device();
        connected.remove(link);
        boolean wasCurrent = leases.release(device.guid(), link.connectionId());
        if (wasCurrent) {
            presence.disconnected(device.tenant(), device.guid(), gateway, reason);
        }
        disconnects.increment();
        audit.event("device.disconnected").actor(AuditEvent.Actor.device(device.guid()))
                .source(link.remoteAddress()).tenant(device.tenant()).target("device:" + device.guid().value())
                .outcome(AuditEvent.Outcome.SUCCESS).reason(reason).detail("gateway", gateway.value())
                .detail("connection", link.connectionId().toString())
                .detail("current", Boolean.toString(wasCurrent)).emit();
        LOG.info("device disconnected [guid: {}, reason: {}, wasCurrent: {}]", device.guid(), reason, wasCurrent);
    }

    /**
     * Makes the leases match the open connections again, after they may have lapsed (PostgreSQL was away
     * longer than the lease time and a gateway reaped them, announcing the devices gone while their
     * connections stayed open). A connection whose lease is gone takes it back and is announced connected
     * again; one whose device is now held by a live connection elsewhere is closed. Returns how many leases
     * were taken back.
     */
    public int reconcile() {
        List<DeviceLink> links = connected.all();
        if (links.isEmpty()) {
            return 0;
        }
        java.util.Map<org.amtbus.schemas.model.DeviceGuid, Lease> held =
                leases.holders(links.stream().map(l -> l.device().guid()).toList());
        int restored = 0;
        for (DeviceLink link : links) {
            var device = link.device();
            Lease lease = held.get(device.guid());
            if (lease != null && lease.connectionId().equals(link.connectionId())) {
                continue;
            }
            if (lease != null) {
                link.disconnect("held by a newer connection on gateway " + lease.gatewayId().value());
                continue;
            }
            try {
                if (!leases.reclaim(device.guid(), gateway, link.connectionId())) {
                    continue;
                }
            } catch (RuntimeException e) {
                LOG.warn("could not take a lapsed lease back [guid: {}]: {}", device.guid(), e.toString());
                continue;
            }
            restored++;
            presence.connected(device.tenant(), device.guid(), gateway);
            audit.event("device.connected").actor(AuditEvent.Actor.device(device.guid()))
                    .source(link.remoteAddress()).tenant(device.tenant()).target("device:" + device.guid().value())
                    .outcome(AuditEvent.Outcome.SUCCESS).reason("lease restored").detail("gateway", gateway.value())
                    .detail("connection", link.connectionId().toString()).emit();
        }
        if (restored > 0) {
            LOG.info("leases restored for open connections [count: {}]", restored);
        }
        return restored;
    }

    /** Announces as gone the devices whose leases were ended without their gateway (lapsed or left from a previous run). */
    public void reaped(List<Lease> lapsed, String reason) {
        for (Lease lease : lapsed) {
            presence.disconnected(lease.tenant(), lease.guid(), lease.gatewayId(), reason);
            audit.event("device.disconnected").actor(AuditEvent.Actor.device(lease.guid())).tenant(lease.tenant())
                    .target("device:" + lease.guid().value()).outcome(AuditEvent.Outcome.SUCCESS).reason(reason)
                    .detail("gateway", lease.gatewayId().value()).detail("connection", lease.connectionId().toString())
                    .emit();
        }
        if (!lapsed.isEmpty()) {
            LOG.info("devices announced disconnected [count: {}, reason: {}]", lapsed.size(), reason);
        }
    }
}
