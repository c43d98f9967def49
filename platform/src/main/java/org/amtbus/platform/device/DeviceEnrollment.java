package org.amtbus.platform.device;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.platform.secret.Secret;
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
        audit.event("device.registered").actor(actor).tenant(tenant).target("device:" + guid.value())
                .outcome(AuditEvent.Outcome.SUCCESS).detail("ciraUsername", ciraUsername).emit();
        for (DeviceSecrets.Kind kind : List.of(DeviceSecrets.Kind.CIRA_PASSWORD, DeviceSecrets.Kind.AMT_ADMIN_PASSWORD)) {
            audit.event("secret.created").actor(actor).tenant(tenant).target("secret:" + DeviceSecrets.name(guid, kind))
                    .outcome(AuditEvent.Outcome.SUCCESS).emit();
        }
        return true;
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
