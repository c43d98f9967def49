package org.amtbus.schemas.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.UUID;

/**
 * Whether a device holds a CIRA connection ({@code amtbus.presence/v1}). Invariant: a
 * {@link State#CONNECTED} presence always names its gateway.
 *
 * @param gatewayId gateway holding (or, when disconnected, last holding) the connection; null when unknown
 * @param since when the device entered this state
 * @param reason why the state changed; null when absent
 */
@JsonPropertyOrder({"schema", "id", "tenant", "guid", "state", "gatewayId", "since", "reason", "time"})
public record Presence(
        String schema,
        UUID id,
        TenantId tenant,
        DeviceGuid guid,
        State state,
        GatewayId gatewayId,
        Instant since,
        String reason,
        Instant time) {

    public static final String SCHEMA = "amtbus.presence/v1";

    public enum State {
        CONNECTED("connected"),
        DISCONNECTED("disconnected");

        private final String wireName;

        State(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }
    }

    public Presence {
        Checks.schema(SCHEMA, schema);
        Checks.required("id", id);
        Checks.required("tenant", tenant);
        Checks.required("guid", guid);
        Checks.required("state", state);
        if (state == State.CONNECTED && gatewayId == null) {
            throw new InvalidFieldException("gatewayId", "is required when state is connected");
        }
        Checks.time("since", since);
        Checks.optionalText("reason", reason, Checks.REASON_MAX);
        Checks.time("time", time);
    }

    public Presence(UUID id, TenantId tenant, DeviceGuid guid, State state, GatewayId gatewayId, Instant since,
                    String reason, Instant time) {
        this(SCHEMA, id, tenant, guid, state, gatewayId, since, reason, time);
    }
}
