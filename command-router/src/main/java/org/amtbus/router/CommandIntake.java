package org.amtbus.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.amtbus.schemas.FieldError;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.SchemaType;
import org.amtbus.schemas.SchemaValidator;
import org.amtbus.schemas.Validation;
import org.amtbus.schemas.model.Command;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.BridgeHeaders;
import org.amtbus.schemas.topic.MqttTopic;
import org.amtbus.schemas.topic.TopicException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The first look at a record of {@code amtbus.commands}: is it a valid command, does it match the MQTT topic it
 * was published on, and who sent it. Pure: no I/O.
 *
 * <p>A refused record is answered with a {@code rejected} result when we know where to send it: the device
 * of its MQTT topic (stamped by the broker, so trustworthy), else the tenant and GUID of the payload if
 * those are readable. The command id is the payload's if it is a UUID, else a new one.
 */
public final class CommandIntake {

    /** What to do with a record. */
    public sealed interface Decision {
        /** A valid command from {@code principal} (absent only for records without the broker's headers). */
        record Accept(Command command, Optional<String> principal) implements Decision {
        }

        /** Answer {@code rejected}, naming the field when there is one. */
        /** @param action the command's action when the payload was a valid command, else null */
        record Reject(UUID commandId, TenantId tenant, DeviceGuid guid, String action, String reason, String field,
                      Optional<String> principal) implements Decision {
        }

        /** Nothing can be answered (no device to address); count and audit only. */
        record Drop(String reason) implements Decision {
        }
    }

    private static final ObjectMapper MAPPER = Json.newMapper();
    private final SchemaValidator validator;

    public CommandIntake(SchemaValidator validator) {
        this.validator = Objects.requireNonNull(validator);
    }

    public Decision decide(ConsumerRecord<String, byte[]> record) {
        Optional<String> principal = header(record, BridgeHeaders.PRINCIPAL);
        Optional<String> topicName = header(record, BridgeHeaders.MQTT_TOPIC);
        Optional<MqttTopic.DeviceTopic> topic = Optional.empty();
        if (topicName.isPresent()) {
            try {
                if (MqttTopic.parse(topicName.get()) instanceof MqttTopic.DeviceTopic t
                        && t.kind() == MqttTopic.DeviceTopic.Kind.COMMANDS) {
                    topic = Optional.of(t);
                }
            } catch (TopicException e) {
                // handled below: a bridged record always names a command topic
            }
            if (topic.isEmpty()) {
                return new Decision.Drop("the record names " + topicName.get() + ", which is not a command topic");
            }
        }
        byte[] value = record.value() == null ? new byte[0] : record.value();
        Validation validation = validator.validate(SchemaType.COMMAND, value);
        if (validation instanceof Validation.Invalid invalid) {
            FieldError first = invalid.errors().get(0);
            return reject(value, topic, principal, first.message(), first.pointer().isEmpty() ? null : first.pointer());
        }
        Command command = (Command) ((Validation.Valid) validation).payload();
        if (topic.isPresent()) {
            if (!topic.get().tenant().equals(command.tenant())) {
                return new Decision.Reject(command.id(), topic.get().tenant(), topic.get().guid(), command.action().wireName(),
                        "tenant " + command.tenant() + " does not match the topic's tenant " + topic.get().tenant(), "/tenant",
                        principal);
            }
            if (!topic.get().guid().equals(command.guid())) {
                return new Decision.Reject(command.id(), topic.get().tenant(), topic.get().guid(), command.action().wireName(),
                        "guid does not match the topic's device " + topic.get().guid(), "/guid", principal);
            }
        }
        return new Decision.Accept(command, principal);
    }

    private static Decision reject(byte[] value, Optional<MqttTopic.DeviceTopic> topic, Optional<String> principal,
                                   String reason, String field) {
        JsonNode node = readLeniently(value);
        UUID id = text(node, "id").flatMap(CommandIntake::uuid).orElseGet(UUID::randomUUID);
        if (topic.isPresent()) {
            return new Decision.Reject(id, topic.get().tenant(), topic.get().guid(), null, reason, field, principal);
        }
        Optional<TenantId> tenant = text(node, "tenant").flatMap(t -> attempt(() -> new TenantId(t)));
        Optional<DeviceGuid> guid = text(node, "guid").flatMap(g -> attempt(() -> new DeviceGuid(g)));
        if (tenant.isPresent() && guid.isPresent()) {
            return new Decision.Reject(id, tenant.get(), guid.get(), null, reason, field, principal);
        }
        return new Decision.Drop("invalid command without a readable tenant and device: " + reason);
    }

    private static JsonNode readLeniently(byte[] value) {
        try {
            return value.length == 0 || value.length > SchemaValidator.DEFAULT_MAX_BYTES ? null : MAPPER.readTree(value);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private static Optional<String> text(JsonNode node, String field) {
        return node == null || !node.isObject() || !node.path(field).isTextual() ? Optional.empty()
                : Optional.of(node.get(field).asText());
    }

    private static Optional<UUID> uuid(String s) {
        return attempt(() -> UUID.fromString(s)).filter(u -> u.toString().equals(s.toLowerCase()));
    }

    private static <T> Optional<T> attempt(java.util.function.Supplier<T> make) {
        try {
            return Optional.of(make.get());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    static Optional<String> header(ConsumerRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? Optional.empty() : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
    }
}
