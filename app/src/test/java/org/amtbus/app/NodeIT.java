package org.amtbus.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.amtbus.platform.kafka.KafkaClients;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.CommandResult;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.GatewayId;
import org.amtbus.schemas.model.Presence;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.BridgeHeaders;
import org.amtbus.schemas.topic.KafkaTopics;
import org.amtbus.schemas.topic.MqttTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The walking skeleton end to end: real MQTT clients over TLS, the real broker, real Kafka and PostgreSQL. */
class NodeIT {

    private static final TenantId TENANT = new TenantId("acme");
    @RegisterExtension
    static final RunningNode node = RunningNode.perClass();

    @Test
    void commandPublishedOverTlsReachesKafkaKeyedByDeviceAndStampedWithTheAuthenticatedPrincipal() {
        // given
        DeviceGuid guid = DeviceGuid.of(UUID.randomUUID());
        String commandId = UUID.randomUUID().toString();
        String topic = new MqttTopic.DeviceTopic(TENANT, guid, MqttTopic.DeviceTopic.Kind.COMMANDS).name();
        // a client cannot forge its identity through the payload
        byte[] payload = ("{\"schema\":\"amtbus.command/v1\",\"id\":\"" + commandId + "\",\"tenant\":\"acme\",\"guid\":\""
                + guid.value() + "\",\"action\":\"power.reset\",\"time\":\"" + Instant.now() + "\","
                + "\"principal\":\"mallory\"}").getBytes(StandardCharsets.UTF_8);
        String clientId = RunningNode.newClientId();
        Mqtt5BlockingClient operator = node.adminClient(clientId);
        KafkaClients kafka = node.kafka();
        try (Consumer<String, byte[]> consumer = kafka.consumer("it-" + UUID.randomUUID(), KafkaClients.OffsetReset.EARLIEST)) {
            consumer.subscribe(List.of(KafkaTopics.COMMANDS));

            // when
            operator.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send();

            // then
            List<ConsumerRecord<String, byte[]>> seen = RunningNode.pollUntil(consumer, Duration.ofSeconds(30),
                    records -> records.stream().anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains(commandId)));
            ConsumerRecord<String, byte[]> record = seen.stream()
                    .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains(commandId)).findFirst().orElseThrow();
            assertThat(record.key()).isEqualTo(guid.value());
            assertThat(record.value()).isEqualTo(payload);
            assertThat(header(record, BridgeHeaders.PRINCIPAL)).isEqualTo("admin");
            assertThat(header(record, BridgeHeaders.CLIENT_ID)).isEqualTo(clientId);
            assertThat(header(record, BridgeHeaders.TENANT)).isEqualTo("acme");
            assertThat(header(record, BridgeHeaders.MQTT_TOPIC)).isEqualTo(topic);
            assertThat(Instant.parse(header(record, BridgeHeaders.RECEIVED_AT))).isAfter(Instant.now().minusSeconds(60));
        } finally {
            operator.disconnect();
        }
    }

    @Test
    void resultWrittenToKafkaReachesTheMqttSubscriberOfThatDevice() throws Exception {
        // given
        DeviceGuid guid = DeviceGuid.of(UUID.randomUUID());
        Mqtt5BlockingClient watcher = node.adminClient(RunningNode.newClientId());
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = watcher.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            watcher.subscribeWith().topicFilter("amtbus/v1/acme/devices/" + guid.value() + "/results")
                    .qos(MqttQos.AT_LEAST_ONCE).send();
            CommandResult result = new CommandResult(UUID.randomUUID(), UUID.randomUUID(), TENANT, guid,
                    CommandResult.Status.SUCCEEDED, null, null, null, new GatewayId("gw-1"), Instant.now());

            // when
            try (Producer<String, byte[]> producer = node.kafka().producer("it")) {
                producer.send(new ProducerRecord<>(KafkaTopics.RESULTS, guid.value(), Json.write(result))).get(10, TimeUnit.SECONDS);
            }

            // then
            Optional<Mqtt5Publish> received = publishes.receive(30, TimeUnit.SECONDS);
            assertThat(received).isPresent();
            assertThat(received.get().getTopic().toString()).isEqualTo("amtbus/v1/acme/devices/" + guid.value() + "/results");
            CommandResult echoed = Json.read(received.get().getPayloadAsBytes(), CommandResult.class);
            assertThat(echoed).isEqualTo(result);
        } finally {
            watcher.disconnect();
        }
    }

    @Test
    void presenceIsRetainedSoALateSubscriberStillLearnsIt() throws Exception {
        // given a presence published before anyone subscribed
        DeviceGuid guid = DeviceGuid.of(UUID.randomUUID());
        Presence presence = new Presence(UUID.randomUUID(), TENANT, guid, Presence.State.CONNECTED, new GatewayId("gw-1"),
                Instant.now(), null, Instant.now());
        try (Producer<String, byte[]> producer = node.kafka().producer("it")) {
            producer.send(new ProducerRecord<>(KafkaTopics.PRESENCE, guid.value(), Json.write(presence))).get(10, TimeUnit.SECONDS);
        }
        String topic = "amtbus/v1/acme/devices/" + guid.value() + "/presence";
        Mqtt5BlockingClient first = node.adminClient(RunningNode.newClientId());
        try (Mqtt5BlockingClient.Mqtt5Publishes live = first.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            first.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
            // wait until the bridge has published it (as retained) at all
            await().atMost(Duration.ofSeconds(30)).until(() -> live.receive(1, TimeUnit.SECONDS).isPresent());
        } finally {
            first.disconnect();
        }

        // when a new subscriber arrives afterwards
        Mqtt5BlockingClient late = node.adminClient(RunningNode.newClientId());
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = late.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            late.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();

            // then it gets the retained presence at once
            Optional<Mqtt5Publish> received = publishes.receive(10, TimeUnit.SECONDS);
            assertThat(received).isPresent();
            assertThat(received.get().isRetain()).isTrue();
            assertThat(Json.read(received.get().getPayloadAsBytes(), Presence.class)).isEqualTo(presence);
        } finally {
            late.disconnect();
        }
    }

    @Test
    void aRecordThatFailsItsSchemaNeverReachesOperators() throws Exception {
        // given a subscriber on everything of the tenant
        DeviceGuid guid = DeviceGuid.of(UUID.randomUUID());
        Mqtt5BlockingClient watcher = node.adminClient(RunningNode.newClientId());
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = watcher.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            watcher.subscribeWith().topicFilter("amtbus/v1/acme/devices/" + guid.value() + "/#").qos(MqttQos.AT_LEAST_ONCE).send();
            CommandResult valid = new CommandResult(UUID.randomUUID(), UUID.randomUUID(), TENANT, guid,
                    CommandResult.Status.SUCCEEDED, null, null, null, null, Instant.now());
            try (Producer<String, byte[]> producer = node.kafka().producer("it")) {
                // when an invalid record (unknown field) is followed by a valid one
                String invalid = "{\"schema\":\"amtbus.command-result/v1\",\"tenant\":\"acme\",\"guid\":\"" + guid.value()
                        + "\",\"status\":\"succeeded\",\"injected\":true}";
                producer.send(new ProducerRecord<>(KafkaTopics.RESULTS, guid.value(), invalid.getBytes(StandardCharsets.UTF_8)))
                        .get(10, TimeUnit.SECONDS);
                producer.send(new ProducerRecord<>(KafkaTopics.RESULTS, guid.value(), Json.write(valid))).get(10, TimeUnit.SECONDS);
            }

            // then only the valid one arrives
            Optional<Mqtt5Publish> first = publishes.receive(30, TimeUnit.SECONDS);
            assertThat(first).isPresent();
            assertThat(Json.read(first.get().getPayloadAsBytes(), CommandResult.class)).isEqualTo(valid);
            assertThat(publishes.receive(1, TimeUnit.SECONDS)).isEmpty();
        } finally {
            watcher.disconnect();
        }
    }

    @Test
    void loginsAreAuditedOnKafkaWithoutThePassword() {
        // given
        String password = node.adminPassword();
        String clientId = RunningNode.newClientId();
        KafkaClients kafka = node.kafka();
        try (Consumer<String, byte[]> consumer = kafka.consumer("it-" + UUID.randomUUID(), KafkaClients.OffsetReset.EARLIEST)) {
            consumer.subscribe(List.of(KafkaTopics.AUDIT));

            // when
            node.adminClient(clientId).disconnect();

            // then
            List<ConsumerRecord<String, byte[]>> seen = RunningNode.pollUntil(consumer, Duration.ofSeconds(30),
                    records -> records.stream().anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains(clientId)));
            AuditEvent login = seen.stream()
                    .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains(clientId))
                    .map(r -> read(r.value())).findFirst().orElseThrow();
            assertThat(login.type()).isEqualTo("auth.login");
            assertThat(login.outcome()).isEqualTo(AuditEvent.Outcome.SUCCESS);
            assertThat(login.actor()).isEqualTo(AuditEvent.Actor.user("admin"));
            assertThat(seen).allSatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8)).doesNotContain(password));
        }
    }

    private static AuditEvent read(byte[] json) {
        try {
            return Json.read(json, AuditEvent.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        assertThat(h).as("header " + name).isNotNull();
        return new String(h.value(), StandardCharsets.UTF_8);
    }
}
