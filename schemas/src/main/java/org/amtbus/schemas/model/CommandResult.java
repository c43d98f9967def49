package org.amtbus.schemas.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The one terminal outcome of a {@link Command} ({@code amtbus.command-result/v1}). Invariants:
 * {@code reason} is present unless the status is {@link Status#SUCCEEDED}; {@code field}, when
 * present, is a JSON pointer; {@code output} is never null, unmodifiable, at most 64 scalar values.
 *
 * @param field for {@link Status#REJECTED}: JSON pointer of the failing command field; null when absent
 * @param gatewayId the gateway that executed the command; null when none did
 */
@JsonPropertyOrder({"schema", "id", "commandId", "tenant", "guid", "status", "reason", "field", "output",
        "gatewayId", "time"})
public record CommandResult(
        String schema,
        UUID id,
        UUID commandId,
        TenantId tenant,
        DeviceGuid guid,
        Status status,
        String reason,
        String field,
        Map<String, Object> output,
        GatewayId gatewayId,
        Instant time) {

    public static final String SCHEMA = "amtbus.command-result/v1";
    public static final int MAX_OUTPUT = 64;
    public static final int MAX_OUTPUT_LENGTH = 1024;
    private static final Pattern JSON_POINTER = Pattern.compile("(/([^/~\\x00-\\x1F]|~[01])*)*");

    /** Terminal statuses; every accepted command ends in exactly one. */
    public enum Status {
        SUCCEEDED("succeeded"),
        FAILED("failed"),
        /** Refused by validation or authorization; {@code reason} (and {@code field}) say why. */
        REJECTED("rejected"),
        EXPIRED("expired"),
        /** No gateway holds the device. */
        OFFLINE("offline"),
        /** Sent to the device, outcome unknown (a gateway died); never replayed blindly. */
        INDETERMINATE("indeterminate");

        private final String wireName;

        Status(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }
    }

    public CommandResult {
        Checks.schema(SCHEMA, schema);
        Checks.required("id", id);
        Checks.required("commandId", commandId);
        Checks.required("tenant", tenant);
        Checks.required("guid", guid);
        Checks.required("status", status);
        Checks.optionalText("reason", reason, Checks.REASON_MAX);
        if (status != Status.SUCCEEDED && reason == null) {
            throw new InvalidFieldException("reason", "is required unless status is succeeded");
        }
        Checks.optionalMatches("field", field, JSON_POINTER, 256, "a JSON pointer such as /action");
        output = Checks.scalars("output", output, MAX_OUTPUT, MAX_OUTPUT_LENGTH);
        Checks.time("time", time);
    }

    public CommandResult(UUID id, UUID commandId, TenantId tenant, DeviceGuid guid, Status status, String reason,
                         String field, Map<String, Object> output, GatewayId gatewayId, Instant time) {
        this(SCHEMA, id, commandId, tenant, guid, status, reason, field, output, gatewayId, time);
    }
}
