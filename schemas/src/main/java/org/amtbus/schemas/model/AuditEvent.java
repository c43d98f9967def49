package org.amtbus.schemas.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One security-relevant fact for the audit trail ({@code amtbus.audit-event/v1}). Invariants: the
 * type matches {@code [a-z]+(\.[a-z-]+)+} (the catalogue in security.md, open to growth); no text
 * field holds a control character, so every SIEM line format stays one line; {@code details} is never
 * null, unmodifiable, at most 32 strings. Never put a secret value in any field.
 *
 * @param source peer network address (IP literal, optional port); null when absent
 * @param tenant tenant concerned; null when none
 * @param target what was acted on (a topic, {@code device:<guid>}, {@code secret:<name>}); null when absent
 * @param reason why; null when absent
 */
@JsonPropertyOrder({"schema", "id", "time", "type", "actor", "source", "tenant", "target", "outcome", "reason",
        "details"})
public record AuditEvent(
        String schema,
        UUID id,
        Instant time,
        String type,
        Actor actor,
        String source,
        TenantId tenant,
        String target,
        Outcome outcome,
        String reason,
        Map<String, String> details) {

    public static final String SCHEMA = "amtbus.audit-event/v1";
    public static final int MAX_DETAILS = 32;
    public static final int MAX_DETAIL_LENGTH = 512;
    private static final Pattern TYPE = Pattern.compile("[a-z]+(\\.[a-z-]+)+");
    private static final Pattern SOURCE = Pattern.compile("[0-9A-Fa-f:.\\[\\]%]{2,64}");

    /** Who acted. Invariant: {@code name} matches {@code [A-Za-z0-9][A-Za-z0-9._@-]{0,127}}. */
    @JsonPropertyOrder({"kind", "name"})
    public record Actor(Kind kind, String name) {
        private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");

        public Actor {
            Checks.required("actor/kind", kind);
            Checks.matches("actor/name", name, NAME, 128,
                    "1 to 128 letters, digits, '.', '_', '@' or '-', starting with a letter or digit");
        }

        public static Actor user(String name) {
            return new Actor(Kind.USER, name);
        }

        public static Actor service(String name) {
            return new Actor(Kind.SERVICE, name);
        }

        public static Actor device(DeviceGuid guid) {
            return new Actor(Kind.DEVICE, guid.value());
        }

        public static Actor system(String name) {
            return new Actor(Kind.SYSTEM, name);
        }
    }

    public enum Kind {
        USER("user"),
        SERVICE("service"),
        DEVICE("device"),
        SYSTEM("system");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }
    }

    public enum Outcome {
        SUCCESS("success"),
        FAILURE("failure"),
        DENIED("denied"),
        ERROR("error");

        private final String wireName;

        Outcome(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }
    }

    public AuditEvent {
        Checks.schema(SCHEMA, schema);
        Checks.required("id", id);
        Checks.time("time", time);
        Checks.matches("type", type, TYPE, 64, "a dotted lowercase event type such as auth.login");
        Checks.required("actor", actor);
        Checks.optionalMatches("source", source, SOURCE, 64, "an IP literal, optionally with a port");
        Checks.optionalText("target", target, 256);
        Checks.required("outcome", outcome);
        Checks.optionalText("reason", reason, Checks.REASON_MAX);
        details = Checks.strings("details", details, MAX_DETAILS, MAX_DETAIL_LENGTH);
    }

    public AuditEvent(UUID id, Instant time, String type, Actor actor, String source, TenantId tenant, String target,
                      Outcome outcome, String reason, Map<String, String> details) {
        this(SCHEMA, id, time, type, actor, source, tenant, target, outcome, reason, details);
    }
}
