package org.amtbus.schemas.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Asks for a named profile to be applied to a device ({@code amtbus.provisioning-request/v1}).
 * Invariant: {@code profile} matches {@code [A-Za-z0-9][A-Za-z0-9._-]{0,63}}.
 */
@JsonPropertyOrder({"schema", "id", "tenant", "guid", "profile", "time"})
public record ProvisioningRequest(
        String schema,
        UUID id,
        TenantId tenant,
        DeviceGuid guid,
        String profile,
        Instant time) {

    public static final String SCHEMA = "amtbus.provisioning-request/v1";
    private static final Pattern PROFILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public ProvisioningRequest {
        Checks.schema(SCHEMA, schema);
        Checks.required("id", id);
        Checks.required("tenant", tenant);
        Checks.required("guid", guid);
        Checks.matches("profile", profile, PROFILE, 64,
                "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        Checks.time("time", time);
    }

    public ProvisioningRequest(UUID id, TenantId tenant, DeviceGuid guid, String profile, Instant time) {
        this(SCHEMA, id, tenant, guid, profile, time);
    }
}
