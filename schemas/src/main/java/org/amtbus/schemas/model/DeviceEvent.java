package org.amtbus.schemas.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Something a device reported or went through ({@code amtbus.device-event/v1}). Invariant:
 * {@code data} is never null, unmodifiable, at most 32 scalar values.
 */
@JsonPropertyOrder({"schema", "id", "tenant", "guid", "type", "data", "time"})
public record DeviceEvent(
        String schema,
        UUID id,
        TenantId tenant,
        DeviceGuid guid,
        Type type,
        Map<String, Object> data,
        Instant time) {

    public static final String SCHEMA = "amtbus.device-event/v1";
    public static final int MAX_DATA = 32;
    public static final int MAX_DATA_LENGTH = 1024;

    public enum Type {
        POWER_STATE("power-state"),
        PROVISIONING_STATE("provisioning-state"),
        AMT_ALERT("amt-alert");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }
    }

    public DeviceEvent {
        Checks.schema(SCHEMA, schema);
        Checks.required("id", id);
        Checks.required("tenant", tenant);
        Checks.required("guid", guid);
        Checks.required("type", type);
        data = Checks.scalars("data", data, MAX_DATA, MAX_DATA_LENGTH);
        Checks.time("time", time);
    }

    public DeviceEvent(UUID id, TenantId tenant, DeviceGuid guid, Type type, Map<String, Object> data, Instant time) {
        this(SCHEMA, id, tenant, guid, type, data, time);
    }
}
