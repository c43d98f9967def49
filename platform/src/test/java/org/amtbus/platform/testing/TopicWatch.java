package org.amtbus.platform.testing;

import org.awaitility.Awaitility;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.amtbus.platform.kafka.KafkaClients;
import org.amtbus.schemas.Json;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Watches a topic from the moment it is opened: everything written afterwards is seen, in arrival order,
 * decoded as {@code type}. For tests that wait for "the result of my command" among records of others.
 */
public final class TopicWatch<T> implements AutoCloseable {

    private final Consumer<String, byte[]> consumer;
    private final Class<T> type;
    private final List<T> seen = new ArrayList<>();

    private TopicWatch(Consumer<String, byte[]> consumer, Class<T> type) {
        this.consumer = consumer;
        this.type = type;
    }

    /** Opens a watch; records written before this call are not seen. */
    public static <T> TopicWatch<T> open(KafkaClients clients, String topic, Class<T> type) {
        Consumer<String, byte[]> consumer = clients.consumer(SharedKafka.newGroupId("watch"), KafkaClients.OffsetReset.LATEST);
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return new TopicWatch<>(consumer, type);
    }

    /** Waits until one record matches and returns it. */
    public T await(String what, Predicate<T> match) {
        return awaitAll(what, match, 1).get(0);
    }

    /** Waits until {@code count} records match and returns them in arrival order. */
    public List<T> awaitAll(String what, Predicate<T> match, int count) {
        return awaitAll(what, match, count, TopicRecords.DEFAULT_WAIT);
    }

    public List<T> awaitAll(String what, Predicate<T> match, int count, Duration atMost) {
        Awaitility.await(what).atMost(atMost).pollInSameThread().pollInterval(Duration.ofMillis(1))
                .until(() -> {
                    poll();
                    return seen.stream().filter(match).count() >= count;
                });
        return seen.stream().filter(match).toList();
    }

    /** Everything seen so far that matches (polls once more first). */
    public List<T> seen(Predicate<T> match) {
        poll();
        return seen.stream().filter(match).toList();
    }

    private void poll() {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
            try {
                seen.add(Json.read(record.value(), type));
            } catch (IOException e) {
                throw new IllegalStateException("record on " + record.topic() + " is not a " + type.getSimpleName(), e);
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
