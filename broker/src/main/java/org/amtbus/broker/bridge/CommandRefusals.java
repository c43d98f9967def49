package org.amtbus.broker.bridge;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.Command;
import org.amtbus.schemas.model.CommandResult;
import org.amtbus.schemas.topic.MqttTopic;

/**
 * What the broker does with a publish the command bridge could not hand to Kafka: audits it as
 * {@code command.rejected}, and answers a command's publisher on the device's results topic of this broker
 * with a {@code rejected} result that says why, so an accepted publish never goes unanswered. A payload
 * without a readable command id can only be audited. Thread-safe.
 */
public final class CommandRefusals implements CommandBridge.FailureListener {

    private static final String PUBLISHER_ID = "amtbus-bridge";

    private final AuditLog audit;
    private final EventBridge.Publisher publisher;
    private final Function<String, AuditEvent.Actor> actors;
    private final Clock clock;

    /** @param actors the audit actor for an authenticated user name */
    public CommandRefusals(AuditLog audit, EventBridge.Publisher publisher, Function<String, AuditEvent.Actor> actors,
                           Clock clock) {
        this.audit = Objects.requireNonNull(audit);
        this.publisher = Objects.requireNonNull(publisher);
        this.actors = Objects.requireNonNull(actors);
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public void bridgeFailed(CommandBridge.Refusal refusal) {
        try {
            answer(refusal);
        } finally {
            audit.event("command.rejected").actor(actors.apply(refusal.principal())).tenant(refusal.topic().tenant())
                    .target(refusal.topic().name()).outcome(AuditEvent.Outcome.ERROR).reason(refusal.reason()).emit();
        }
    }

    private void answer(CommandBridge.Refusal refusal) {
        if (!(refusal.topic() instanceof MqttTopic.DeviceTopic device)
                || device.kind() != MqttTopic.DeviceTopic.Kind.COMMANDS) {
            return;
        }
        UUID commandId;
        try {
            commandId = Json.read(refusal.payload(), Command.class).id();
        } catch (IOException | RuntimeException e) {
            return; // the router would have rejected it for its shape; there is no id to answer
        }
        if (commandId == null) {
            return;
        }
        CommandResult result = new CommandResult(UUID.randomUUID(), commandId, device.tenant(), device.guid(),
                CommandResult.Status.REJECTED, refusal.reason(), null, Map.of(), null, clock.instant());
        publisher.publish(MqttMessageBuilders.publish()
                .topicName(new MqttTopic.DeviceTopic(device.tenant(), device.guid(), MqttTopic.DeviceTopic.Kind.RESULTS).name())
                .retained(false).qos(MqttQoS.AT_LEAST_ONCE).payload(Unpooled.wrappedBuffer(Json.write(result))).build(),
                PUBLISHER_ID);
    }
}
