package org.amtbus.broker.bridge;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.amtbus.platform.kafka.ConsumerLoop;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Republishes what the services write to Kafka ({@code amtbus.results}, {@code amtbus.presence},
 * {@code amtbus.events}, {@code amtbus.alerts}) on the matching MQTT topics of this broker.
 *
 * <p>Invariants: every broker consumes with its own group, so each broker serves all of its own
 * subscribers and no broker clustering is needed; a record reaches MQTT only if it validates against
 * its schema (an invalid one is counted and skipped, never published); offsets are committed only
 * after the batch was handed to the broker, so a restart republishes rather than loses. Presence is
 * published retained. Runs on its own thread ({@link ConsumerLoop}).
 */
public final class EventBridge extends ConsumerLoop {

    private static final Logger LOG = LoggerFactory.getLogger(EventBridge.class);
    private static final String PUBLISHER_ID = "amtbus-bridge";

    /** Where one record goes on MQTT, decided from its validated payload. */
    public record Route(String mqttTopic, boolean retained) {
        /** A valid record that is not for MQTT (e.g. a provisioning request beside the statuses): skipped quietly. */
        public static final Route NONE = new Route("", false);
    }

    /** Maps a Kafka record to its MQTT route; empty when the record is not publishable. */
    public interface Router {
        Optional<Route> route(String kafkaTopic, byte[] value);
    }

    /** Publishes into the local broker. */
    public interface Publisher {
        void publish(MqttPublishMessage message, String publisherId);
    }

    private final Router router;
    private final Publisher publisher;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    public EventBridge(Consumer<String, byte[]> consumer, List<String> topics, Router router, Publisher publisher) {
        super(consumer, topics, "amtbus-event-bridge");
        this.router = Objects.requireNonNull(router);
        this.publisher = Objects.requireNonNull(publisher);
    }

    @Override
    protected void handle(ConsumerRecord<String, byte[]> record) {
        Optional<Route> route = record.value() == null ? Optional.empty() : router.route(record.topic(), record.value());
        if (route.isEmpty()) {
            rejected.incrementAndGet();
            LOG.warn("event=bridge.invalid-record topic={} partition={} offset={}", record.topic(), record.partition(), record.offset());
            return;
        }
        if (route.get() == Route.NONE) {
            return;
        }
        MqttPublishMessage message = MqttMessageBuilders.publish()
                .topicName(route.get().mqttTopic())
                .retained(route.get().retained())
                .qos(MqttQoS.AT_LEAST_ONCE)
                .payload(Unpooled.wrappedBuffer(record.value()))
                .build();
        publisher.publish(message, PUBLISHER_ID);
        published.incrementAndGet();
    }

    public long publishedCount() {
        return published.get();
    }

    public long rejectedCount() {
        return rejected.get();
    }
}
