package org.amtbus.broker.bridge;

import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptPublishMessage;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.amtbus.schemas.topic.BridgeHeaders;
import org.amtbus.schemas.topic.KafkaTopics;
import org.amtbus.schemas.topic.MqttTopic;
import org.amtbus.schemas.topic.TopicException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries what operators publish on {@code amtbus/v1/{tenant}/devices/{guid}/commands} (and
 * provisioning requests) into Kafka, stamped with the identity the broker authenticated.
 *
 * <p>Invariants: the record key is the device GUID, so one device's commands share a partition and
 * keep their order; the principal, client id, tenant and receive time come from the authenticated
 * session and the parsed topic, never from the payload. Runs on Moquette's single interceptor thread;
 * the Kafka send is asynchronous (idempotent, acks=all). See docs/decisions/0004.
 *
 * <p>A publish Kafka cannot take is refused, never dropped in silence: while Kafka is known to be
 * unreachable nothing is sent (and the interceptor thread never waits on Kafka's metadata), and a send
 * that Kafka did not confirm is reported too; the {@link FailureListener} answers the publisher.
 */
public final class CommandBridge extends AbstractInterceptHandler {

    private static final Logger LOG = LoggerFactory.getLogger(CommandBridge.class);

    /** A publish that was not handed to Kafka, with what the publisher needs to be told. */
    public record Refusal(MqttTopic topic, String principal, String clientId, String reason, byte[] payload) {
    }

    /** Told when a publish could not be handed to Kafka; implementations audit it and answer the publisher. */
    public interface FailureListener {
        void bridgeFailed(Refusal refusal);
    }

    /** Why a publish is refused while Kafka is known to be down; nothing was sent. */
    public static final String BUS_UNAVAILABLE = "service unavailable: the message bus (Kafka) is unreachable;"
            + " the command was not taken, publish it again later";

    private final Producer<String, byte[]> producer;
    private final Clock clock;
    private final BooleanSupplier busAvailable;
    private final FailureListener failures;
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    /** @param busAvailable false while Kafka is known to be unreachable (e.g. {@code KafkaAvailability}) */
    public CommandBridge(Producer<String, byte[]> producer, Clock clock, BooleanSupplier busAvailable,
                         FailureListener failures) {
        this.producer = Objects.requireNonNull(producer);
        this.clock = Objects.requireNonNull(clock);
        this.busAvailable = Objects.requireNonNull(busAvailable);
        this.failures = Objects.requireNonNull(failures);
    }

    @Override
    public String getID() {
        return "amtbus-command-bridge";
    }

    @Override
    public Class<?>[] getInterceptedMessageTypes() {
        return new Class<?>[] {InterceptPublishMessage.class};
    }

    @Override
    public void onPublish(InterceptPublishMessage msg) {
        ByteBuf payload = msg.getPayload();
        try {
            route(msg.getTopicName(), msg.getUsername(), msg.getClientID(), payload);
        } finally {
            // Moquette hands interceptors their own reference; not releasing it leaks direct memory
            payload.release();
        }
    }

    @Override
    public void onSessionLoopError(Throwable error) {
        LOG.error("event=broker.session-loop-error", error);
    }

    private void route(String topicName, String principal, String clientId, ByteBuf payload) {
        if (!topicName.startsWith(MqttTopic.PREFIX)) {
            return; // not one of ours, and cheaper to tell than by the parser's exception (every publish comes here)
        }
        final MqttTopic topic;
        try {
            topic = MqttTopic.parse(topicName);
        } catch (TopicException e) {
            return; // not one of ours: the authorizer decided whether it may exist at all
        }
        String kafkaTopic;
        String key;
        if (topic instanceof MqttTopic.DeviceTopic device && device.kind() == MqttTopic.DeviceTopic.Kind.COMMANDS) {
            kafkaTopic = KafkaTopics.COMMANDS;
            key = device.guid().toString();
        } else if (topic instanceof MqttTopic.ProvisioningRequestsTopic) {
            kafkaTopic = KafkaTopics.PROVISIONING;
            key = topic.tenant().toString();
        } else {
            return; // results, presence, events and alerts flow the other way
        }
        byte[] bytes = new byte[payload.readableBytes()];
        payload.getBytes(payload.readerIndex(), bytes);
        if (!busAvailable.getAsBoolean()) {
            fail(new Refusal(topic, principal, clientId, BUS_UNAVAILABLE, bytes), "kafka unavailable");
            return;
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add(BridgeHeaders.PRINCIPAL, utf8(principal));
        headers.add(BridgeHeaders.CLIENT_ID, utf8(clientId));
        headers.add(BridgeHeaders.TENANT, utf8(topic.tenant().toString()));
        headers.add(BridgeHeaders.MQTT_TOPIC, utf8(topicName));
        headers.add(BridgeHeaders.RECEIVED_AT, utf8(clock.instant().toString()));
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(kafkaTopic, null, key, bytes, headers);
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    forwarded.incrementAndGet();
                } else {
                    fail(unconfirmed(topic, principal, clientId, bytes, error), error.getClass().getSimpleName());
                }
            });
        } catch (RuntimeException e) {
            fail(unconfirmed(topic, principal, clientId, bytes, e), e.getClass().getSimpleName());
        }
    }

    private static Refusal unconfirmed(MqttTopic topic, String principal, String clientId, byte[] bytes, Exception error) {
        return new Refusal(topic, principal, clientId, "the message bus (Kafka) did not confirm the command ("
                + error.getClass().getSimpleName() + "); it may still run: publish it again with the same id,"
                + " which runs it at most once", bytes);
    }

    private void fail(Refusal refusal, String cause) {
        failed.incrementAndGet();
        LOG.warn("event=bridge.send-failed [principal: {}, client: {}] topic={} cause={}", refusal.principal(),
                refusal.clientId(), refusal.topic().name(), cause);
        failures.bridgeFailed(refusal);
    }

    /** Publishes Kafka has acknowledged. */
    public long forwardedCount() {
        return forwarded.get();
    }

    /** Publishes that could not be handed to Kafka. */
    public long failedCount() {
        return failed.get();
    }

    private static byte[] utf8(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }
}
