package org.amtbus.broker.bridge;

import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptConnectionLostMessage;
import io.moquette.interception.messages.InterceptDisconnectMessage;
import io.moquette.interception.messages.InterceptPublishMessage;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.amtbus.schemas.agent.AgentName;
import org.amtbus.schemas.agent.AgentTopic;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.topic.BridgeHeaders;
import org.amtbus.schemas.topic.KafkaTopics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries what device agents publish on this broker (their report and WS-Man responses) to Kafka
 * {@link KafkaTopics#AGENT_UP}, and tells it when an agent's session ends ({@code gone}), so a provisioning worker
 * on any node can talk to an agent connected to any broker. The way back (requests) is an {@link EventBridge}
 * with {@link AgentRequestRoutes}.
 *
 * <p>Invariants: records are keyed by device GUID (one agent's frames stay in order, and its {@code gone} comes
 * after them); a publish is forwarded only when its publisher is the agent of the device the topic names (the
 * authorizer already allows nothing else; this keeps a superuser's publish from passing for an agent's);
 * principal, client id, tenant and kind come from the session and the topic, never from the payload. Runs on
 * Moquette's interceptor thread; the Kafka send is asynchronous.
 */
public final class AgentBridge extends AbstractInterceptHandler {

    private static final Logger LOG = LoggerFactory.getLogger(AgentBridge.class);
    public static final String KIND_REPORT = "report";
    public static final String KIND_RESPONSES = "responses";
    public static final String KIND_GONE = "gone";

    private final Producer<String, byte[]> producer;
    private final Clock clock;
    private final java.util.function.BooleanSupplier busAvailable;
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    /**
     * @param busAvailable false while Kafka is known to be unreachable: nothing is sent then (a send would hold
     *                     the interceptor thread up to a minute on Kafka's metadata); the worker's exchange with the
     *                     agent times out and the run is rolled back
     */
    public AgentBridge(Producer<String, byte[]> producer, Clock clock, java.util.function.BooleanSupplier busAvailable) {
        this.producer = Objects.requireNonNull(producer);
        this.clock = Objects.requireNonNull(clock);
        this.busAvailable = Objects.requireNonNull(busAvailable);
    }

    @Override
    public String getID() {
        return "amtbus-agent-bridge";
    }

    @Override
    public Class<?>[] getInterceptedMessageTypes() {
        return new Class<?>[] {InterceptPublishMessage.class, InterceptDisconnectMessage.class,
                InterceptConnectionLostMessage.class};
    }

    @Override
    public void onPublish(InterceptPublishMessage msg) {
        ByteBuf payload = msg.getPayload();
        try {
            Optional<AgentTopic> topic = AgentTopic.parse(msg.getTopicName());
            if (topic.isEmpty() || topic.get().kind() == AgentTopic.Kind.REQUESTS) {
                return;
            }
            if (!AgentName.of(topic.get().guid()).equals(msg.getUsername())) {
                LOG.warn("event=agent-bridge.not-the-agent [principal: {}, client: {}] topic={}", msg.getUsername(),
                        msg.getClientID(), msg.getTopicName());
                return;
            }
            byte[] bytes = new byte[payload.readableBytes()];
            payload.getBytes(payload.readerIndex(), bytes);
            RecordHeaders headers = headers(msg.getUsername(), msg.getClientID(),
                    topic.get().kind() == AgentTopic.Kind.REPORT ? KIND_REPORT : KIND_RESPONSES);
            headers.add(BridgeHeaders.TENANT, utf8(topic.get().tenant().value()));
            headers.add(BridgeHeaders.MQTT_TOPIC, utf8(msg.getTopicName()));
            send(topic.get().guid(), bytes, headers);
        } finally {
            payload.release();
        }
    }

    @Override
    public void onDisconnect(InterceptDisconnectMessage msg) {
        gone(msg.getUsername(), msg.getClientID());
    }

    @Override
    public void onConnectionLost(InterceptConnectionLostMessage msg) {
        gone(msg.getUsername(), msg.getClientID());
    }

    @Override
    public void onSessionLoopError(Throwable error) {
        // the command bridge logs these
    }

    private void gone(String username, String clientId) {
        AgentName.guidOf(username).ifPresent(guid -> send(guid, new byte[0], headers(username, clientId, KIND_GONE)));
    }

    private RecordHeaders headers(String principal, String clientId, String kind) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(BridgeHeaders.PRINCIPAL, utf8(principal));
        headers.add(BridgeHeaders.CLIENT_ID, utf8(clientId));
        headers.add(BridgeHeaders.RECEIVED_AT, utf8(clock.instant().toString()));
        headers.add(KafkaTopics.AGENT_KIND_HEADER, utf8(kind));
        return headers;
    }

    private void send(DeviceGuid guid, byte[] value, RecordHeaders headers) {
        if (!busAvailable.getAsBoolean()) {
            failed.incrementAndGet();
            LOG.warn("event=agent-bridge.send-failed guid={} reason=kafka unavailable", guid);
            return;
        }
        try {
            producer.send(new ProducerRecord<>(KafkaTopics.AGENT_UP, null, guid.value(), value, headers), (metadata, error) -> {
                if (error == null) {
                    forwarded.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    LOG.warn("event=agent-bridge.send-failed guid={} reason={}", guid, error.getClass().getSimpleName());
                }
            });
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            LOG.warn("event=agent-bridge.send-failed guid={} reason={}", guid, e.getClass().getSimpleName());
        }
    }

    public long forwardedCount() {
        return forwarded.get();
    }

    public long failedCount() {
        return failed.get();
    }

    private static byte[] utf8(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }
}
