package org.amtbus.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.amtbus.platform.testing.SharedKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class ConsumerLoopIT {

    /** Collects the values it is handed. */
    private static final class Collecting extends ConsumerLoop {
        final List<String> values = new CopyOnWriteArrayList<>();

        Collecting(KafkaClients clients, String group, String topic) {
            super(clients.consumer(group, KafkaClients.OffsetReset.LATEST), List.of(topic), "test-loop-" + group);
        }

        @Override
        protected void handle(ConsumerRecord<String, byte[]> record) {
            values.add(new String(record.value(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aLatestGroupThatLosesItsMembersResumesWhereItWasNotAtTheNewEnd() throws Exception {
        // given a "latest" group that was assigned its partitions but never received a record; this is what a
        // broker's event bridge looks like just before a Kafka outage longer than the session timeout
        KafkaClients clients = SharedKafka.clients();
        String topic = SharedKafka.newTopic("loop-resume", 2);
        String group = "loop-resume-" + UUID.randomUUID();
        try (Collecting first = new Collecting(clients, group, topic)) {
            first.start();
            assertThat(first.awaitReady(Duration.ofSeconds(60))).isTrue();
        }

        // when a record is written while the group has no member, and a new member joins afterwards
        try (Producer<String, byte[]> producer = clients.producer("test")) {
            producer.send(new ProducerRecord<>(topic, "k", "written-in-between".getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
        }
        try (Collecting second = new Collecting(clients, group, topic)) {
            second.start();
            assertThat(second.awaitReady(Duration.ofSeconds(60))).isTrue();

            // then the record is handed over: the reset to "latest" happened once, for the group's first member
            await().atMost(Duration.ofSeconds(30)).until(() -> second.values.contains("written-in-between"));
        }
    }

    @Test
    void aNewLatestGroupStillStartsAtTheEnd() throws Exception {
        KafkaClients clients = SharedKafka.clients();
        String topic = SharedKafka.newTopic("loop-latest", 1);
        try (Producer<String, byte[]> producer = clients.producer("test")) {
            producer.send(new ProducerRecord<>(topic, "k", "old".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
            try (Collecting loop = new Collecting(clients, "loop-latest-" + UUID.randomUUID(), topic)) {
                loop.start();
                assertThat(loop.awaitReady(Duration.ofSeconds(60))).isTrue();
                producer.send(new ProducerRecord<>(topic, "k", "new".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(30)).until(() -> loop.values.contains("new"));
                assertThat(loop.values).containsExactly("new");
            }
        }
    }
}
