package org.amtbus.schemas.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An operator's request to act on one device ({@code amtbus.command/v1}). Invariants: every required
 * field is present and valid; {@code ttlSeconds} is null or 1..3600; {@code params} is never null,
 * unmodifiable, at most 16 scalar values.
 *
 * @param ttlSeconds seconds after {@code time} at which an undelivered command expires; null when absent
 */
@JsonPropertyOrder({"schema", "id", "tenant", "guid", "action", "ttlSeconds", "params", "time"})
public record Command(
        String schema,
        UUID id,
        TenantId tenant,
        DeviceGuid guid,
        CommandAction action,
        Integer ttlSeconds,
        Map<String, Object> params,
        Instant time) {

    public static final String SCHEMA = "amtbus.command/v1";
    public static final int MAX_TTL_SECONDS = 3600;
    public static final int MAX_PARAMS = 16;
    public static final int MAX_PARAM_LENGTH = 256;

    public Command {
        Checks.schema(SCHEMA, schema);
        Checks.required("id", id);
        Checks.required("tenant", tenant);
        Checks.required("guid", guid);
        Checks.required("action", action);
        if (ttlSeconds != null) {
            Checks.range("ttlSeconds", ttlSeconds, 1, MAX_TTL_SECONDS);
        }
        params = Checks.scalars("params", params, MAX_PARAMS, MAX_PARAM_LENGTH);
        Checks.time("time", time);
    }

    public Command(UUID id, TenantId tenant, DeviceGuid guid, CommandAction action, Integer ttlSeconds,
                   Map<String, Object> params, Instant time) {
        this(SCHEMA, id, tenant, guid, action, ttlSeconds, params, time);
    }
}
