package org.amtbus.platform.device;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.platform.secret.Secret;
import org.amtbus.platform.secret.SecretName;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;

/**
 * Registers and removes devices together with their secrets, audited. Invariants: a device is registered
 * only with both its CIRA and AMT admin passwords stored; a failed registration leaves neither the row nor
 * the secrets behind; removal deletes the secrets too. Blocking.
 */
public final class DeviceEnrollment {

    private final DeviceRegistry registry;
    private final DeviceSecrets secrets;
    private final AuditLog audit;
    private final Clock clock;

    public DeviceEnrollment(DeviceRegistry registry, DeviceSecrets secrets, AuditLog audit, Clock clock) {
        this.registry = Objects.requireNonNull(registry);
        this.secrets = Objects.requireNonNull(secrets);
        this.audit = Objects.requireNonNull(audit);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Registers a device with its passwords; false (and nothing changed) when the GUID is already registered.
     *
     * @param actor who asked, for the audit trail
     */
    public boolean register(DeviceGuid guid, TenantId tenant, String ciraUsername, Optional<String> hostname, List<String> tags,
                            Secret ciraPassword, Secret adminPassword, AuditEvent.Actor actor) {
        Device device = new Device(guid, tenant, ciraUsername, hostname, tags, clock.instant());
        if (registry.find(guid).isPresent()) {
            return false;
        }
        secrets.put(guid, DeviceSecrets.Kind.CIRA_PASSWORD, ciraPassword);
        secrets.put(guid, DeviceSecrets.Kind.AMT_ADMIN_PASSWORD, adminPassword);
        boolean added;
        try {
            added = registry.add(device);
        } catch (RuntimeException e) {
            secrets.deleteAll(guid);
            throw e;
        }
        if (!added) {
            // registered concurrently by someone else, whose secrets we must not keep overwritten: leave theirs
            return false;
        }
        audited(guid, tenant, ciraUsername, actor);
        return true;
    }

    /** One device to register in bulk: what {@link #register} takes. */
    public record Registration(DeviceGuid guid, TenantId tenant, String ciraUsername, Optional<String> hostname,
                               List<String> tags, Secret ciraPassword, Secret adminPassword) {
        public Registration {
            Objects.requireNonNull(guid);
            Objects.requireNonNull(tenant);
            Objects.requireNonNull(ciraUsername);
            Objects.requireNonNull(hostname);
            tags = List.copyOf(tags);
            Objects.requireNonNull(ciraPassword);
            Objects.requireNonNull(adminPassword);
        }
    }

    /**
     * Registers many devices as {@link #register} does each - same invariants, same audit events per device - but
     * stores all their secrets with one write of the secret store (the sealed file rewrites itself per write, so
     * one by one a fleet costs quadratic time). Devices already registered are skipped and their secrets left alone.
     * If adding a row fails, the secrets of the devices not added are removed and the error is rethrown; the ones
     * added before stay registered and audited.
     *
     * @return the GUIDs registered, in the order given
     */
    public List<DeviceGuid> registerAll(List<Registration> devices, AuditEvent.Actor actor) {
        List<Registration> fresh = new ArrayList<>(devices.size());
        java.util.Set<DeviceGuid> seen = new java.util.HashSet<>();
        for (Registration r : devices) {
            if (seen.add(r.guid()) && registry.find(r.guid()).isEmpty()) {
                fresh.add(r);
            }
        }
        Map<SecretName, Secret> values = new LinkedHashMap<>();
        for (Registration r : fresh) {
            values.put(DeviceSecrets.name(r.guid(), DeviceSecrets.Kind.CIRA_PASSWORD), r.ciraPassword());
            values.put(DeviceSecrets.name(r.guid(), DeviceSecrets.Kind.AMT_ADMIN_PASSWORD), r.adminPassword());
        }
        secrets.putAll(values);
        List<DeviceGuid> added = new ArrayList<>(fresh.size());
        List<DeviceGuid> notAdded = new ArrayList<>();
        RuntimeException failure = null;
        for (Registration r : fresh) {
            if (failure != null) {
                notAdded.add(r.guid());
                continue;
            }
            Device device = new Device(r.guid(), r.tenant(), r.ciraUsername(), r.hostname(), r.tags(), clock.instant());
            try {
                if (registry.add(device)) {
                    added.add(r.guid());
                    audited(r.guid(), r.tenant(), r.ciraUsername(), actor);
                }
                // not added: registered concurrently by someone else, whose secrets we must not keep overwritten
            } catch (RuntimeException e) {
                failure = e;
                notAdded.add(r.guid());
            }
        }
        if (failure != null) {
            secrets.deleteAll(notAdded);
            throw failure;
        }
        return added;
    }

    private void audited(DeviceGuid guid, TenantId tenant, String ciraUsername, AuditEvent.Actor actor) {
        audit.event("device.registered").actor(actor).tenant(tenant).target("device:" + guid.value())
                .outcome(AuditEvent.Outcome.SUCCESS).detail("ciraUsername", ciraUsername).emit();
        for (DeviceSecrets.Kind kind : List.of(DeviceSecrets.Kind.CIRA_PASSWORD, DeviceSecrets.Kind.AMT_ADMIN_PASSWORD)) {
            audit.event("secret.created").actor(actor).tenant(tenant).target("secret:" + DeviceSecrets.name(guid, kind))
                    .outcome(AuditEvent.Outcome.SUCCESS).emit();
        }
    }

    /** Removes a device, its lease and its secrets; false when it was not registered. */
    public boolean remove(DeviceGuid guid, AuditEvent.Actor actor) {
        Optional<Device> device = registry.find(guid);
        if (device.isEmpty()) {
            return false;
        }
        registry.remove(guid);
        int removed = secrets.deleteAll(guid);
        audit.event("device.removed").actor(actor).tenant(device.get().tenant()).target("device:" + guid.value())
                .outcome(AuditEvent.Outcome.SUCCESS).detail("secretsRemoved", Integer.toString(removed)).emit();
        return true;
    }
}
