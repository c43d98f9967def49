package org.amtbus.audit.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.amtbus.audit.AuditService;
import org.amtbus.audit.sink.AuditSinkConfig;
import org.amtbus.audit.testing.AuditDatabase;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.platform.secret.SealedFileSecretStore;
import org.amtbus.platform.kafka.KafkaClients;
import org.amtbus.platform.kafka.Topics;
import org.amtbus.platform.testing.SharedKafka;
import org.amtbus.platform.testing.TopicWatch;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.Alert;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.KafkaTopics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules on a real Kafka stream: audit events in, {@link Alert}s out on the alerts topic (keyed by
 * tenant, as the broker's MQTT bridge expects), each one audited as {@code alert.raised}.
 */
class AlertServiceIT {

    @Test
    void bruteForceAndCommandDenialOnTheAuditStreamBecomeAuditedAlerts() {
        // given
        KafkaClients kafka = SharedKafka.clients();
        String auditTopic = SharedKafka.newTopic("audit", 2);
        String alertsTopic = SharedKafka.newTopic("alerts", 1);
        try (var admin = kafka.admin()) {
            new Topics(admin, Topics.Settings.embedded()).createAll(); // amtbus.audit, where alert.raised goes
        }
        try (var probe = kafka.consumer(SharedKafka.newGroupId("probe"), KafkaClients.OffsetReset.LATEST)) {
            for (String topic : List.of(KafkaTopics.AUDIT, auditTopic, alertsTopic)) { // new topics need their metadata
                org.awaitility.Awaitility.await(topic + " has partitions").atMost(Duration.ofSeconds(30))
                        .until(() -> !probe.partitionsFor(topic, Duration.ofSeconds(5)).isEmpty());
            }
        }
        AlertConfig config = AlertConfig.defaults().withTopics(auditTopic, alertsTopic, SharedKafka.newGroupId("alerts"));
        try (Producer<String, byte[]> producer = kafka.producer("test");
             Producer<String, byte[]> auditProducer = kafka.producer("audit");
             TopicWatch<Alert> alerts = TopicWatch.open(kafka, alertsTopic, Alert.class);
             TopicWatch<AuditEvent> audited = TopicWatch.open(kafka, KafkaTopics.AUDIT, AuditEvent.class);
             AlertService service = AlertService.start(kafka, new AuditLog(auditProducer, Clock.systemUTC(), "alerts-it"),
                     config, Clock.systemUTC(), null, Duration.ofHours(1))) {

            // when: 5 failed logins (quiet), a 6th, and a denial on a command topic
            for (int i = 0; i < 5; i++) {
                send(producer, auditTopic, event("auth.login", "eve", AuditEvent.Outcome.FAILURE, null));
            }
            send(producer, auditTopic, event("acl.denied", "eve", AuditEvent.Outcome.DENIED, "amtbus/v1/acme/devices/d1/events"));
            send(producer, auditTopic, event("auth.login", "eve", AuditEvent.Outcome.FAILURE, null));
            send(producer, auditTopic, event("acl.denied", "eve", AuditEvent.Outcome.DENIED, "amtbus/v1/acme/devices/d1/commands"));

            // then
            Alert account = alerts.await("brute-force alert", a -> a.rule().equals("auth.failures.account"));
            Alert denial = alerts.await("command denial alert", a -> a.rule().equals("acl.denied.command"));
            assertThat(account.tenant()).isEqualTo(new TenantId("acme"));
            assertThat(account.relatedEventIds()).hasSize(6);
            assertThat(denial.severity()).isEqualTo(Alert.Severity.CRITICAL);
            for (Alert alert : List.of(account, denial)) {
                AuditEvent raised = audited.await("alert.raised for " + alert.rule(),
                        e -> e.type().equals("alert.raised") && alert.id().toString().equals(e.details().get("alertId")));
                assertThat(raised.target()).isEqualTo("alert:" + alert.rule());
                assertThat(raised.tenant()).isEqualTo(alert.tenant());
            }
            assertThat(alerts.seen(a -> true)).extracting(Alert::rule)
                    .containsExactlyInAnyOrder("auth.failures.account", "auth.failures.source", "acl.denied.command");
            assertThat(service.raisedCount()).isEqualTo(3);
        }
    }

    @Test
    void attachedToTheSinkTheRulesSeeEachStoredEventOnceAndNoOldBacklog(@TempDir Path dir) {
        // given: a sink and the rules fed by it, no consumer of their own
        KafkaClients kafka = SharedKafka.clients();
        String auditTopic = SharedKafka.newTopic("audit", 1);
        String alertsTopic = SharedKafka.newTopic("alerts", 1);
        try (var admin = kafka.admin()) {
            new Topics(admin, Topics.Settings.embedded()).createAll(); // amtbus.audit, where alert.raised goes
        }
        AlertConfig config = AlertConfig.defaults().withTopics(auditTopic, alertsTopic, SharedKafka.newGroupId("unused"));
        try (AuditDatabase db = AuditDatabase.create();
             SealedFileSecretStore secrets = SealedFileSecretStore.open(dir);
             Producer<String, byte[]> producer = kafka.producer("test");
             Producer<String, byte[]> auditProducer = kafka.producer("audit");
             TopicWatch<Alert> alerts = TopicWatch.open(kafka, alertsTopic, Alert.class);
             AuditService sink = AuditService.start(db.dataSource(), kafka, secrets, AuditSinkConfig.defaults()
                     .withTopic(auditTopic).withGroupId(SharedKafka.newGroupId("audit-sink")), Clock.systemUTC());
             AlertService service = AlertService.attach(sink.sink(), kafka, new AuditLog(auditProducer, Clock.systemUTC(),
                     "alerts-it"), config, Clock.systemUTC(), null, Duration.ofHours(1))) {

            // when: a lockout from two hours ago (a backlog), 6 failed logins, each of them sent twice, and a lockout
            AuditEvent old = new AuditEvent(UUID.randomUUID(), Instant.now().minus(Duration.ofHours(2)), "auth.lockout",
                    AuditEvent.Actor.user("old"), null, new TenantId("acme"), null, AuditEvent.Outcome.DENIED, null, Map.of());
            send(producer, auditTopic, old);
            for (int i = 0; i < 6; i++) {
                AuditEvent failure = event("auth.login", "mallory", AuditEvent.Outcome.FAILURE, null);
                send(producer, auditTopic, failure);
                send(producer, auditTopic, failure); // a redelivery: stored once, evaluated once
            }
            send(producer, auditTopic, event("auth.lockout", "mallory", AuditEvent.Outcome.DENIED, null));

            // then
            alerts.await("lockout alert", a -> a.rule().equals("auth.lockout"));
            Alert account = alerts.await("brute-force alert", a -> a.rule().equals("auth.failures.account"));
            assertThat(account.relatedEventIds()).hasSize(6).doesNotHaveDuplicates();
            assertThat(sink.sink().duplicateCount()).isEqualTo(6);
            assertThat(alerts.seen(a -> true)).extracting(Alert::rule)
                    .containsExactlyInAnyOrder("auth.failures.account", "auth.failures.source", "auth.lockout");
            assertThat(service.raisedCount()).isEqualTo(3);
        }
    }

    private static void send(Producer<String, byte[]> producer, String topic, AuditEvent event) {
        producer.send(new ProducerRecord<>(topic, "broker-1", Json.write(event)));
        producer.flush();
    }

    private static AuditEvent event(String type, String user, AuditEvent.Outcome outcome, String target) {
        return new AuditEvent(UUID.randomUUID(), Instant.now(), type, AuditEvent.Actor.user(user), "192.0.2.44:5000",
                new TenantId("acme"), target, outcome, null, Map.of());
    }
}
