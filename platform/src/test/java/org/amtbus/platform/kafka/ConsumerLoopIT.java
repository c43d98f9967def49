package org.amtbus.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.amtbus.platform.testing.SharedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
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

    /** Pipelined: "writes" each prepared batch on the writer thread, held by a gate, failing while told to. */
    private static final class Pipelined extends ConsumerLoop {
        final List<String> written = new CopyOnWriteArrayList<>();
        final Semaphore gate = new Semaphore(0);
        final AtomicInteger failuresLeft = new AtomicInteger();
        final AtomicInteger writes = new AtomicInteger();

        Pipelined(KafkaClients clients, String group, String topic) {
            super(clients.consumer(group, KafkaClients.OffsetReset.EARLIEST, new KafkaClients.BulkFetch(3, 1,
                    Duration.ofMillis(10))), List.of(topic), "test-pipelined-" + group);
        }

        @Override
        protected void handle(ConsumerRecord<String, byte[]> record) {
            throw new AssertionError("a pipelined loop writes prepared batches");
        }

        @Override
        protected Runnable prepareBatch(ConsumerRecords<String, byte[]> records) {
            List<String> values = new ArrayList<>();
            records.forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
            return () -> {
                gate.acquireUninterruptibly();
                writes.incrementAndGet();
                if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw new IllegalStateException("database unavailable (test)");
                }
                written.addAll(values);
            };
        }
    }

    private static long committed(KafkaClients clients, String group, String topic) throws Exception {
        try (Admin admin = clients.admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            OffsetAndMetadata offset = offsets.get(new TopicPartition(topic, 0));
            return offset == null ? -1 : offset.offset();
        }
    }

    @Test
    void aPipelinedLoopCommitsABatchOnlyAfterItsWriteReturnedAndRereadsAFailedOne() throws Exception {
        // given 10 records and a loop whose writes wait for a gate; the first write that runs will fail
        KafkaClients clients = SharedKafka.clients();
        String topic = SharedKafka.newTopic("loop-pipelined", 1);
        String group = "loop-pipelined-" + UUID.randomUUID();
        List<String> sent = new ArrayList<>();
        try (Producer<String, byte[]> producer = clients.producer("test")) {
            for (int i = 0; i < 10; i++) {
                sent.add("v" + i);
                producer.send(new ProducerRecord<>(topic, "k", ("v" + i).getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
            }
        }
        try (Pipelined loop = new Pipelined(clients, group, topic)) {
            loop.failuresLeft.set(1);
            loop.start();
            assertThat(loop.awaitReady(Duration.ofSeconds(60))).isTrue();

            // when nothing is written yet, nothing is committed beyond the start
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                    .until(() -> committed(clients, group, topic) <= 0);
            // one write is let through and fails: its batch and the one prepared meanwhile are read again
            loop.gate.release();
            await().atMost(Duration.ofSeconds(30)).until(() -> loop.writes.get() == 1);
            assertThat(loop.written).isEmpty();
            assertThat(committed(clients, group, topic)).isLessThanOrEqualTo(0);

            // then once writes succeed, every record is written in order, none skipped, and all are committed
            loop.gate.release(1_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> committed(clients, group, topic) == 10);
            assertThat(loop.written).containsExactlyElementsOf(sent);
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
