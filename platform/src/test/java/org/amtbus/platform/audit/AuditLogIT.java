package org.amtbus.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.amtbus.platform.kafka.EmbeddedKafka;
import org.amtbus.platform.kafka.KafkaClients;
import org.amtbus.platform.kafka.KafkaConfig;
import org.amtbus.platform.testing.TestDirectories;
import org.amtbus.platform.testing.TopicRecords;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.topic.KafkaTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.Test;

class AuditLogIT {

    @Test
    void whileKafkaIsUnreachableEmittingDoesNotBlockAndTheEventsArriveInOrderOnceItIsBack() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        KafkaClients clients = new KafkaClients(KafkaConfig.of("127.0.0.1:" + port));
        Path dir = TestDirectories.newTemporary("amtbus-auditlog-it-");
        List<UUID> emitted = new ArrayList<>();
        try (Producer<String, byte[]> producer = clients.producer("audit");
             AuditLog audit = new AuditLog(producer, Clock.systemUTC(), "auditlog-it")) {
            // given no Kafka at all: a producer's send would wait a minute for metadata on the caller's thread
            // when: callers (Netty and broker threads in the node) emit
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                for (int i = 0; i < 3; i++) {
                    emitted.add(audit.event("auth.login").actor(AuditEvent.Actor.user("alice-" + i)).emit().id());
                }
            }, "emitting must not wait for Kafka");

            // then, once Kafka is there, the events arrive, in the order they were emitted
            try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), port)) {
                try (Admin admin = clients.admin()) {
                    admin.createTopics(List.of(new NewTopic(KafkaTopics.AUDIT, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
                }
                List<UUID> arrived = TopicRecords.awaitAtLeast(clients, KafkaTopics.AUDIT, 3, Duration.ofSeconds(120)).stream()
                        .map(r -> {
                            try {
                                return Json.read(r.value(), AuditEvent.class).id();
                            } catch (java.io.IOException e) {
                                throw new AssertionError(e);
                            }
                        }).toList();
                assertThat(arrived).containsExactlyElementsOf(emitted);
                assertThat(audit.failedCount()).isZero();
            }
        } finally {
            TestDirectories.deleteRecursively(dir);
        }
    }
}
