package org.amtbus.schemas.topic;

import java.util.Objects;
import org.amtbus.schemas.SchemaType;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;

/**
 * An amtbus v1 MQTT topic name: {@code amtbus/v1/{tenant}/...}. Instances are built from validated
 * value types, so {@link #name()} never contains a wildcard, an empty level or NUL; {@link #parse}
 * is the only way from a string and refuses everything else. Each kind knows its payload type.
 */
public sealed interface MqttTopic {
    /** First two levels of every v1 topic. */
    String PREFIX = "amtbus/v1/";
    /** Longest topic name accepted by {@link #parse}, in characters. */
    int MAX_LENGTH = 256;

    TenantId tenant();

    /** The topic name, e.g. {@code amtbus/v1/acme/devices/<guid>/commands}. */
    String name();

    /** The payload published on this topic. */
    SchemaType payloadType();

    /**
     * Parses a concrete topic name (no wildcards).
     *
     * @throws TopicException with the reason when {@code topic} is not a v1 amtbus topic
     */
    static MqttTopic parse(String topic) {
        return MqttTopicParser.parse(topic);
    }

    /** {@code amtbus/v1/{tenant}/devices/{guid}/{commands|results|presence|events}}. */
    record DeviceTopic(TenantId tenant, DeviceGuid guid, Kind kind) implements MqttTopic {
        public DeviceTopic {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(guid, "guid");
            Objects.requireNonNull(kind, "kind");
        }

        public enum Kind {
            COMMANDS("commands", SchemaType.COMMAND),
            RESULTS("results", SchemaType.COMMAND_RESULT),
            PRESENCE("presence", SchemaType.PRESENCE),
            EVENTS("events", SchemaType.DEVICE_EVENT);

            private final String level;
            private final SchemaType payloadType;

            Kind(String level, SchemaType payloadType) {
                this.level = level;
                this.payloadType = payloadType;
            }

            /** The last topic level, e.g. {@code commands}. */
            public String level() {
                return level;
            }
        }

        @Override
        public String name() {
            return PREFIX + tenant.value() + "/devices/" + guid.value() + "/" + kind.level;
        }

        @Override
        public SchemaType payloadType() {
            return kind.payloadType;
        }
    }

    /** {@code amtbus/v1/{tenant}/provisioning/requests}. */
    record ProvisioningRequestsTopic(TenantId tenant) implements MqttTopic {
        public ProvisioningRequestsTopic {
            Objects.requireNonNull(tenant, "tenant");
        }

        @Override
        public String name() {
            return PREFIX + tenant.value() + "/provisioning/requests";
        }

        @Override
        public SchemaType payloadType() {
            return SchemaType.PROVISIONING_REQUEST;
        }
    }

    /** {@code amtbus/v1/{tenant}/provisioning/status/{guid}}. */
    record ProvisioningStatusTopic(TenantId tenant, DeviceGuid guid) implements MqttTopic {
        public ProvisioningStatusTopic {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(guid, "guid");
        }

        @Override
        public String name() {
            return PREFIX + tenant.value() + "/provisioning/status/" + guid.value();
        }

        @Override
        public SchemaType payloadType() {
            return SchemaType.PROVISIONING_STATUS;
        }
    }

    /** {@code amtbus/v1/{tenant}/alerts}. */
    record AlertsTopic(TenantId tenant) implements MqttTopic {
        public AlertsTopic {
            Objects.requireNonNull(tenant, "tenant");
        }

        @Override
        public String name() {
            return PREFIX + tenant.value() + "/alerts";
        }

        @Override
        public SchemaType payloadType() {
            return SchemaType.ALERT;
        }
    }
}
