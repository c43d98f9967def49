package org.amtbus.schemas.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Asks for a named profile to be applied to a device, or for a managed device to be deactivated
 * ({@code amtbus.provisioning-request/v1}). Invariants: an {@link Action#APPLY} request names a {@code profile}
 * matching {@code [A-Za-z0-9][A-Za-z0-9._-]{0,63}}; a {@link Action#DEACTIVATE} request names none. A request
 * without an {@code action} applies its profile (the first form of v1).
 */
@JsonPropertyOrder({"schema", "id", "tenant", "guid", "action", "profile", "time"})
public record ProvisioningRequest(
        String schema,
        UUID id,
        TenantId tenant,
        DeviceGuid guid,
        Action action,
        String profile,
        Instant time) {

    public static final String SCHEMA = "amtbus.provisioning-request/v1";
    private static final Pattern PROFILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** What the request asks for. */
    public enum Action {
        /** Apply {@code profile}: activate and configure a new device, or reconfigure a managed one. */
        APPLY("apply"),
        /** Unprovision a managed device and remove its registration and secrets. */
        DEACTIVATE("deactivate");

        private final String wireName;

        Action(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }
    }

    public ProvisioningRequest {
        Checks.schema(SCHEMA, schema);
        Checks.required("id", id);
        Checks.required("tenant", tenant);
        Checks.required("guid", guid);
        action = action == null ? Action.APPLY : action;
        if (action == Action.APPLY) {
            Checks.matches("profile", profile, PROFILE, 64,
                    "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        } else if (profile != null) {
            throw new InvalidFieldException("profile", "must be absent when action is deactivate");
        }
        Checks.time("time", time);
    }

    /** A request to apply {@code profile}. */
    public ProvisioningRequest(UUID id, TenantId tenant, DeviceGuid guid, String profile, Instant time) {
        this(SCHEMA, id, tenant, guid, Action.APPLY, profile, time);
    }

    /** A request to deactivate a managed device. */
    public static ProvisioningRequest deactivation(UUID id, TenantId tenant, DeviceGuid guid, Instant time) {
        return new ProvisioningRequest(SCHEMA, id, tenant, guid, Action.DEACTIVATE, null, time);
    }
}
