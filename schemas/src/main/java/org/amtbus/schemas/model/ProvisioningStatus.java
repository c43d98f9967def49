package org.amtbus.schemas.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Progress of one provisioning step ({@code amtbus.provisioning-status/v1}). Invariant: a
 * {@link State#FAILED} or {@link State#ROLLED_BACK} status always carries a reason.
 *
 * @param requestId the provisioning request this status belongs to; null when absent
 */
@JsonPropertyOrder({"schema", "id", "requestId", "tenant", "guid", "step", "state", "reason", "time"})
public record ProvisioningStatus(
        String schema,
        UUID id,
        UUID requestId,
        TenantId tenant,
        DeviceGuid guid,
        String step,
        State state,
        String reason,
        Instant time) {

    public static final String SCHEMA = "amtbus.provisioning-status/v1";
    private static final Pattern STEP = Pattern.compile("[a-z][a-z0-9-]{0,63}");

    public enum State {
        PENDING("pending"),
        RUNNING("running"),
        SUCCEEDED("succeeded"),
        FAILED("failed"),
        ROLLED_BACK("rolled-back");

        private final String wireName;

        State(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }
    }

    public ProvisioningStatus {
        Checks.schema(SCHEMA, schema);
        Checks.required("id", id);
        Checks.required("tenant", tenant);
        Checks.required("guid", guid);
        Checks.matches("step", step, STEP, 64, "1 to 64 lowercase letters, digits or '-', starting with a letter");
        Checks.required("state", state);
        Checks.optionalText("reason", reason, Checks.REASON_MAX);
        if ((state == State.FAILED || state == State.ROLLED_BACK) && reason == null) {
            throw new InvalidFieldException("reason", "is required when state is failed or rolled-back");
        }
        Checks.time("time", time);
    }

    public ProvisioningStatus(UUID id, UUID requestId, TenantId tenant, DeviceGuid guid, String step, State state,
                              String reason, Instant time) {
        this(SCHEMA, id, requestId, tenant, guid, step, state, reason, time);
    }
}
