package org.amtbus.platform.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.amtbus.platform.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads what a topic holds, from the beginning, without a consumer group (nothing committed, so
 * it never disturbs the code under test). Stateless; any thread.
 */
public final class TopicRecords {

    /** How long to wait for records that are expected to arrive; generous for a loaded CI machine. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);

    private TopicRecords() {
    }

    /** Waits until {@code topic} holds at least {@code count} records and returns them (partition order). */
    public static List<ConsumerRecord<String, byte[]>> awaitAtLeast(KafkaClients clients, String topic, int count) {
        return awaitAtLeast(clients, topic, count, DEFAULT_WAIT);
    }

    public static List<ConsumerRecord<String, byte[]>> awaitAtLeast(KafkaClients clients, String topic, int count,
                                                                    Duration atMost) {
        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        try (Consumer<String, byte[]> consumer = clients.consumer(SharedKafka.newGroupId("reader"),
                KafkaClients.OffsetReset.EARLIEST)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await("at least " + count + " records on " + topic)
                    .atMost(atMost)
                    .pollInSameThread()
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> {
                        consumer.poll(POLL).forEach(seen::add);
                        return seen.size() >= count;
                    });
        }
        return List.copyOf(seen);
    }
}
