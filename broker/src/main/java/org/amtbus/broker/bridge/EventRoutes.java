package org.amtbus.broker.bridge;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.amtbus.schemas.SchemaType;
import org.amtbus.schemas.SchemaValidator;
import org.amtbus.schemas.Validation;
import org.amtbus.schemas.model.Alert;
import org.amtbus.schemas.model.CommandResult;
import org.amtbus.schemas.model.DeviceEvent;
import org.amtbus.schemas.model.Presence;
import org.amtbus.schemas.model.ProvisioningStatus;
import org.amtbus.schemas.topic.KafkaTopics;
import org.amtbus.schemas.topic.MqttTopic;

/**
 * Decides the MQTT topic of a Kafka record from its validated payload: results, presence and events
 * go to their device's topics, alerts to the tenant's alert topic, provisioning statuses to
 * {@code amtbus/v1/{tenant}/provisioning/status/{guid}}. Presence is retained so a new
 * subscriber learns at once whether a machine is connected.
 *
 * <p>Invariant: nothing that fails its schema gets a route, so operators only ever receive valid v1
 * payloads. Thread-safe.
 */
public final class EventRoutes implements EventBridge.Router {

    /** The Kafka topics this router understands and the payload each carries. */
    public static final Map<String, SchemaType> SOURCES = Map.of(
            KafkaTopics.RESULTS, SchemaType.COMMAND_RESULT,
            KafkaTopics.PRESENCE, SchemaType.PRESENCE,
            KafkaTopics.EVENTS, SchemaType.DEVICE_EVENT,
            KafkaTopics.ALERTS, SchemaType.ALERT,
            KafkaTopics.PROVISIONING, SchemaType.PROVISIONING_STATUS);

    private final SchemaValidator validator;

    public EventRoutes(SchemaValidator validator) {
        this.validator = Objects.requireNonNull(validator);
    }

    @Override
    public Optional<EventBridge.Route> route(String kafkaTopic, byte[] value) {
        SchemaType type = SOURCES.get(kafkaTopic);
        if (type == null) {
            return Optional.empty();
        }
        Validation validation = validator.validate(type, value);
        if (!(validation instanceof Validation.Valid valid)) {
            // amtbus.provisioning carries the requests too: those are the worker's, not for subscribers
            if (type == SchemaType.PROVISIONING_STATUS
                    && validator.validate(SchemaType.PROVISIONING_REQUEST, value) instanceof Validation.Valid) {
                return Optional.of(EventBridge.Route.NONE);
            }
            return Optional.empty();
        }
        return Optional.of(switch (valid.payload()) {
            case CommandResult r -> new EventBridge.Route(
                    new MqttTopic.DeviceTopic(r.tenant(), r.guid(), MqttTopic.DeviceTopic.Kind.RESULTS).name(), false);
            case Presence p -> new EventBridge.Route(
                    new MqttTopic.DeviceTopic(p.tenant(), p.guid(), MqttTopic.DeviceTopic.Kind.PRESENCE).name(), true);
            case DeviceEvent e -> new EventBridge.Route(
                    new MqttTopic.DeviceTopic(e.tenant(), e.guid(), MqttTopic.DeviceTopic.Kind.EVENTS).name(), false);
            case Alert a -> new EventBridge.Route(new MqttTopic.AlertsTopic(a.tenant()).name(), false);
            case ProvisioningStatus p -> new EventBridge.Route(
                    new MqttTopic.ProvisioningStatusTopic(p.tenant(), p.guid()).name(), false);
            default -> throw new IllegalStateException("no route for " + type);
        });
    }
}
