package org.amtbus.schemas.topic;

import java.util.Arrays;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.MqttTopic.AlertsTopic;
import org.amtbus.schemas.topic.MqttTopic.DeviceTopic;
import org.amtbus.schemas.topic.MqttTopic.ProvisioningRequestsTopic;
import org.amtbus.schemas.topic.MqttTopic.ProvisioningStatusTopic;

/** Parses concrete v1 topic names; the grammar is the Topics table of architecture.md. */
final class MqttTopicParser {
    private MqttTopicParser() {
    }

    static MqttTopic parse(String topic) {
        if (topic == null || topic.isEmpty()) {
            throw new TopicException("topic is empty");
        }
        if (topic.length() > MqttTopic.MAX_LENGTH) {
            throw new TopicException("topic is longer than " + MqttTopic.MAX_LENGTH + " characters");
        }
        if (topic.indexOf('\0') >= 0) {
            throw new TopicException("topic contains NUL");
        }
        if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            throw new TopicException("topic contains a wildcard ('+' or '#'); a topic name must be concrete");
        }
        if (topic.startsWith("/") || topic.endsWith("/")) {
            throw new TopicException("topic starts or ends with '/'");
        }
        String[] levels = topic.split("/", -1);
        if (Arrays.stream(levels).anyMatch(String::isEmpty)) {
            throw new TopicException("topic has an empty level");
        }
        if (!levels[0].equals("amtbus")) {
            throw new TopicException("topic does not start with 'amtbus/'");
        }
        if (levels.length < 2 || !levels[1].equals("v1")) {
            throw new TopicException("unknown topic version; this parser knows v1");
        }
        if (levels.length < 4) {
            throw new TopicException("topic is too short for amtbus/v1/{tenant}/...");
        }
        TenantId tenant = tenant(levels[2]);
        return switch (levels[3]) {
            case "devices" -> device(tenant, levels);
            case "provisioning" -> provisioning(tenant, levels);
            case "alerts" -> {
                expectLevels(levels, 4, "amtbus/v1/{tenant}/alerts");
                yield new AlertsTopic(tenant);
            }
            default -> throw new TopicException("unknown topic family at level 4; expected devices, provisioning or alerts");
        };
    }

    private static MqttTopic device(TenantId tenant, String[] levels) {
        expectLevels(levels, 6, "amtbus/v1/{tenant}/devices/{guid}/{commands|results|presence|events}");
        DeviceGuid guid = guid(levels[4]);
        DeviceTopic.Kind kind = Arrays.stream(DeviceTopic.Kind.values())
                .filter(k -> k.level().equals(levels[5]))
                .findFirst()
                .orElseThrow(() -> new TopicException(
                        "unknown device topic kind; expected commands, results, presence or events"));
        return new DeviceTopic(tenant, guid, kind);
    }

    private static MqttTopic provisioning(TenantId tenant, String[] levels) {
        if (levels.length >= 5 && levels[4].equals("requests")) {
            expectLevels(levels, 5, "amtbus/v1/{tenant}/provisioning/requests");
            return new ProvisioningRequestsTopic(tenant);
        }
        if (levels.length >= 5 && levels[4].equals("status")) {
            expectLevels(levels, 6, "amtbus/v1/{tenant}/provisioning/status/{guid}");
            return new ProvisioningStatusTopic(tenant, guid(levels[5]));
        }
        throw new TopicException("unknown provisioning topic; expected requests or status/{guid}");
    }

    private static void expectLevels(String[] levels, int expected, String shape) {
        if (levels.length != expected) {
            throw new TopicException("topic must have the shape " + shape);
        }
    }

    private static TenantId tenant(String level) {
        try {
            return new TenantId(level);
        } catch (IllegalArgumentException e) {
            throw new TopicException("level 3 is not a valid tenant: " + e.getMessage());
        }
    }

    private static DeviceGuid guid(String level) {
        try {
            return new DeviceGuid(level);
        } catch (IllegalArgumentException e) {
            throw new TopicException("not a valid device GUID level: " + e.getMessage());
        }
    }
}
