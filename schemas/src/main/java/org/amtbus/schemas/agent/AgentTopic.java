package org.amtbus.schemas.agent;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.MqttTopic;

/**
 * A topic of a device's agent relay: {@code amtbus/v1/{tenant}/devices/{guid}/agent/report} and
 * {@code .../agent/wsman/requests|responses}. The agent publishes its report and the responses and subscribes
 * to the requests; the broker lets an agent reach only its own device's agent topics.
 *
 * <p>Invariant: built from validated value types, so {@link #name()} never holds a wildcard or NUL; {@link #parse}
 * is the only way from a string.
 */
public record AgentTopic(TenantId tenant, DeviceGuid guid, Kind kind) {

    /** The levels after {@code agent/}. */
    public enum Kind {
        /** agent to worker: what the agent found out about the machine ({@link AgentReport}) */
        REPORT("report"),
        /** worker to agent: WS-Man bytes for the local AMT ({@link AgentFrame}) */
        REQUESTS("wsman/requests"),
        /** agent to worker: AMT's answer bytes ({@link AgentFrame}) */
        RESPONSES("wsman/responses");

        private final String levels;

        Kind(String levels) {
            this.levels = levels;
        }

        public String levels() {
            return levels;
        }
    }

    private static final Pattern SHAPE = Pattern.compile(
            "amtbus/v1/([^/+#\\x00]+)/devices/([0-9a-f-]{36})/agent/(report|wsman/requests|wsman/responses)");

    public AgentTopic {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(guid, "guid");
        Objects.requireNonNull(kind, "kind");
    }

    public String name() {
        return prefix(tenant, guid) + kind.levels;
    }

    /** {@code amtbus/v1/{tenant}/devices/{guid}/agent/}: every agent topic of the device starts so. */
    public static String prefix(TenantId tenant, DeviceGuid guid) {
        return MqttTopic.PREFIX + tenant.value() + "/devices/" + guid.value() + "/agent/";
    }

    /** The agent topic {@code topic} names; empty for any other topic (or a malformed one). */
    public static Optional<AgentTopic> parse(String topic) {
        if (topic == null || topic.length() > MqttTopic.MAX_LENGTH) {
            return Optional.empty();
        }
        Matcher m = SHAPE.matcher(topic);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            Kind kind = switch (m.group(3)) {
                case "report" -> Kind.REPORT;
                case "wsman/requests" -> Kind.REQUESTS;
                default -> Kind.RESPONSES;
            };
            return Optional.of(new AgentTopic(new TenantId(m.group(1)), new DeviceGuid(m.group(2)), kind));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
