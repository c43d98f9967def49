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

    /** Fails the first time it is handed the value "boom", as a handler does while PostgreSQL is down. */
    private static final class FailingOnce extends ConsumerLoop {
        final List<String> values = new CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();

        FailingOnce(KafkaClients clients, String group, String topic) {
            super(clients.consumer(group, KafkaClients.OffsetReset.EARLIEST), List.of(topic), "test-loop-" + group);
        }

        @Override
        protected void handle(ConsumerRecord<String, byte[]> record) {
            String value = new String(record.value(), StandardCharsets.UTF_8);
            if (value.equals("boom") && failures.compareAndSet(0, 1)) {
                throw new IllegalStateException("cannot now");
            }
            values.add(value);
        }
    }

    private static void send(Producer<String, byte[]> producer, String topic, String... values) throws Exception {
        for (String v : values) {
            producer.send(new ProducerRecord<>(topic, "k", v.getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
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
    void aLoopClosedRightAfterABatchHasCommittedIt() throws Exception {
        // given a loop that handled records moments ago (its commits are sent without waiting for the answer)
        KafkaClients clients = SharedKafka.clients();
        String topic = SharedKafka.newTopic("loop-close-commit", 1);
        String group = "loop-close-commit-" + UUID.randomUUID();
        try (Producer<String, byte[]> producer = clients.producer("test")) {
            try (FailingOnce first = new FailingOnce(clients, group, topic)) {
                first.start();
                assertThat(first.awaitReady(Duration.ofSeconds(60))).isTrue();
                send(producer, topic, "a", "b", "c");
                await().atMost(Duration.ofSeconds(30)).until(() -> first.values.size() == 3);
                // when it is closed at once
            }
            send(producer, topic, "after");
            // then the group's next member starts after what was handled: nothing is handled twice
            try (FailingOnce second = new FailingOnce(clients, group, topic)) {
                second.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> second.values.contains("after"));
                assertThat(second.values).containsExactly("after");
            }
        }
    }

    @Test
    void aFailedBatchIsReadAgainFromTheEndOfTheLastHandledOne() throws Exception {
        KafkaClients clients = SharedKafka.clients();
        String topic = SharedKafka.newTopic("loop-rewind", 1);
        try (Producer<String, byte[]> producer = clients.producer("test");
             FailingOnce loop = new FailingOnce(clients, "loop-rewind-" + UUID.randomUUID(), topic)) {
            loop.start();
            assertThat(loop.awaitReady(Duration.ofSeconds(60))).isTrue();
            // given batches that were handled
            send(producer, topic, "a", "b");
            await().atMost(Duration.ofSeconds(30)).until(() -> loop.values.size() == 2);
            // when a later batch fails once
            send(producer, topic, "boom", "z");
            // then it is read again after the backoff, and only it: nothing skipped, nothing earlier repeated
            await().atMost(Duration.ofSeconds(30)).until(() -> loop.values.contains("z"));
            assertThat(loop.failures.get()).isEqualTo(1);
            assertThat(loop.values).containsExactly("a", "b", "boom", "z");
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
