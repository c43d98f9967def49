package org.amtbus.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.amtbus.platform.testing.SharedKafka;
import org.amtbus.platform.testing.TestDirectories;
import org.amtbus.platform.testing.TopicRecords;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaIT {

    @Test
    void roundTripKeepsKeyHeadersAndOrder() throws Exception {
        // given
        KafkaClients clients = SharedKafka.clients();
        String topic = SharedKafka.newTopic("roundtrip", 3);

        // when
        try (Producer<String, byte[]> producer = clients.producer("test")) {
            for (int i = 0; i < 3; i++) {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, "device-1",
                        ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
                record.headers().add(new RecordHeader("amtbus.principal", "alice".getBytes(StandardCharsets.UTF_8)));
                producer.send(record).get(30, TimeUnit.SECONDS);
            }
        }

        // then: same key, same header, and one device's records stay in order
        List<ConsumerRecord<String, byte[]>> records = TopicRecords.awaitAtLeast(clients, topic, 3);
        assertThat(records).extracting(ConsumerRecord::key, r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly(tuple("device-1", "{\"n\":0}"), tuple("device-1", "{\"n\":1}"),
                        tuple("device-1", "{\"n\":2}"));
        assertThat(records).allSatisfy(r -> assertThat(
                new String(r.headers().lastHeader("amtbus.principal").value(), StandardCharsets.UTF_8)).isEqualTo("alice"));
    }

    @Test
    void restartOnTheSameDirectoryKeepsDataAndClusterId() throws Exception {
        Path dir = TestDirectories.newTemporary("amtbus-kafka-restart-it-");
        try {
            // given a cold start that formats the directory and stores one record
            long cold = System.nanoTime();
            String clusterId;
            try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, EmbeddedKafka.RANDOM_PORT)) {
                System.out.printf("embedded Kafka cold start (format + start): %d ms%n", (System.nanoTime() - cold) / 1_000_000);
                clusterId = kafka.clusterId();
                KafkaClients clients = new KafkaClients(KafkaConfig.of(kafka.bootstrapServers()));
                try (Admin admin = clients.admin()) {
                    admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
                    assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS)).isEqualTo(clusterId);
                }
                try (Producer<String, byte[]> producer = clients.producer("test")) {
                    producer.send(new ProducerRecord<>("kept", "k", "v".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
                }
                long stop = System.nanoTime();
                kafka.close();
                System.out.printf("embedded Kafka controlled shutdown: %d ms%n", (System.nanoTime() - stop) / 1_000_000);
            }

            // when started again on the same directory (on another random port)
            long warm = System.nanoTime();
            try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, EmbeddedKafka.RANDOM_PORT)) {
                System.out.printf("embedded Kafka warm start: %d ms%n", (System.nanoTime() - warm) / 1_000_000);
                KafkaClients clients = new KafkaClients(KafkaConfig.of(kafka.bootstrapServers()));

                // then it is the same cluster and the record is still there
                assertThat(kafka.clusterId()).isEqualTo(clusterId);
                try (Admin admin = clients.admin()) {
                    assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS)).isEqualTo(clusterId);
                    assertThat(new KafkaHealth(admin).isHealthy()).isTrue();
                }
                assertThat(TopicRecords.awaitAtLeast(clients, "kept", 1))
                        .extracting(ConsumerRecord::key).containsExactly("k");
            }
        } finally {
            TestDirectories.deleteRecursively(dir);
        }
    }
}
