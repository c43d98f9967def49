package org.amtbus.broker.bridge;

import java.io.IOException;
import java.util.Optional;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.agent.AgentFrame;
import org.amtbus.schemas.agent.AgentTopic;
import org.amtbus.schemas.topic.KafkaTopics;

/**
 * Routes the WS-Man request frames workers write to {@link KafkaTopics#AGENT_DOWN} to the requests topic of the
 * device they name ({@code amtbus/v1/{tenant}/devices/{guid}/agent/wsman/requests}), where only that device's
 * agent may subscribe. Every broker routes every frame; the one the agent is connected to delivers it.
 * Invariant: a record that does not parse as an {@link AgentFrame} gets no route. Thread-safe.
 */
public final class AgentRequestRoutes implements EventBridge.Router {

    @Override
    public Optional<EventBridge.Route> route(String kafkaTopic, byte[] value) {
        if (!KafkaTopics.AGENT_DOWN.equals(kafkaTopic)) {
            return Optional.empty();
        }
        try {
            AgentFrame frame = Json.read(value, AgentFrame.class);
            return Optional.of(new EventBridge.Route(
                    new AgentTopic(frame.tenant(), frame.guid(), AgentTopic.Kind.REQUESTS).name(), false));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
