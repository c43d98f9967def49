package org.amtbus.schemas.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An alert rule fired ({@code amtbus.alert/v1}). Invariant: {@code relatedEventIds} is never null,
 * unmodifiable, at most 100 distinct ids.
 */
@JsonPropertyOrder({"schema", "id", "time", "rule", "severity", "tenant", "summary", "relatedEventIds"})
public record Alert(
        String schema,
        UUID id,
        Instant time,
        String rule,
        Severity severity,
        TenantId tenant,
        String summary,
        List<UUID> relatedEventIds) {

    public static final String SCHEMA = "amtbus.alert/v1";
    public static final int MAX_RELATED = 100;
    private static final Pattern RULE = Pattern.compile("[a-z][a-z0-9.-]{0,63}");

    public enum Severity {
        INFO("info"),
        WARNING("warning"),
        CRITICAL("critical");

        private final String wireName;

        Severity(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }
    }

    public Alert {
        Checks.schema(SCHEMA, schema);
        Checks.required("id", id);
        Checks.time("time", time);
        Checks.matches("rule", rule, RULE, 64, "1 to 64 lowercase letters, digits, '.' or '-', starting with a letter");
        Checks.required("severity", severity);
        Checks.required("tenant", tenant);
        Checks.text("summary", summary, Checks.REASON_MAX);
        relatedEventIds = Checks.list("relatedEventIds", relatedEventIds, MAX_RELATED);
    }

    public Alert(UUID id, Instant time, String rule, Severity severity, TenantId tenant, String summary,
                 List<UUID> relatedEventIds) {
        this(SCHEMA, id, time, rule, severity, tenant, summary, relatedEventIds);
    }
}
