package org.amtbus.broker.bridge;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.errors.WakeupException;
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
 * published retained. Runs on its own platform thread (the Kafka consumer is single-threaded).
 */
public final class EventBridge implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventBridge.class);
    /** Short enough that close() is prompt, long enough not to spin on an idle cluster. */
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    private static final String PUBLISHER_ID = "amtbus-bridge";

    /** Where one record goes on MQTT, decided from its validated payload. */
    public record Route(String mqttTopic, boolean retained) { }

    /** Maps a Kafka record to its MQTT route; empty when the record is not publishable. */
    public interface Router {
        Optional<Route> route(String kafkaTopic, byte[] value);
    }

    /** Publishes into the local broker. */
    public interface Publisher {
        void publish(MqttPublishMessage message, String publisherId);
    }

    private final Consumer<String, byte[]> consumer;
    private final List<String> topics;
    private final Router router;
    private final Publisher publisher;
    private final Thread thread;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final CountDownLatch assigned = new CountDownLatch(1);
    private volatile boolean running = true;

    public EventBridge(Consumer<String, byte[]> consumer, List<String> topics, Router router, Publisher publisher) {
        this.consumer = Objects.requireNonNull(consumer);
        this.topics = List.copyOf(topics);
        this.router = Objects.requireNonNull(router);
        this.publisher = Objects.requireNonNull(publisher);
        this.thread = new Thread(this::run, "amtbus-event-bridge");
        this.thread.setDaemon(true);
    }

    public void start() {
        consumer.subscribe(topics, new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // offsets are committed after every batch, nothing is pending here
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                // resolve positions now, so "ready" means every record written from here on is delivered
                partitions.forEach(consumer::position);
                assigned.countDown();
            }
        });
        thread.start();
    }

    /** Waits until the bridge owns its partitions and knows where to read from; false on timeout. */
    public boolean awaitReady(Duration timeout) {
        try {
            return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL_TIMEOUT);
                for (ConsumerRecord<String, byte[]> record : records) {
                    forward(record);
                }
                if (!records.isEmpty()) {
                    consumer.commitSync();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("event=bridge.unexpected-wakeup", e);
            }
        } catch (RuntimeException e) {
            LOG.error("event=bridge.stopped-on-error", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void forward(ConsumerRecord<String, byte[]> record) {
        Optional<Route> route = record.value() == null ? Optional.empty() : router.route(record.topic(), record.value());
        if (route.isEmpty()) {
            rejected.incrementAndGet();
            LOG.warn("event=bridge.invalid-record topic={} partition={} offset={}", record.topic(), record.partition(), record.offset());
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

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
