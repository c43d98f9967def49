package org.amtbus.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.amtbus.platform.kafka.EmbeddedKafka;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.Command;
import org.amtbus.schemas.model.CommandAction;
import org.amtbus.schemas.model.CommandResult;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;
import org.junit.jupiter.api.Test;

/**
 * A Kafka outage of about half a minute with the real node: unhealthy while Kafka is gone, a command accepted
 * over MQTT meanwhile is not lost, and the node heals by itself once Kafka is back.
 */
class KafkaOutageIT {

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static int health(RunningNode node) throws Exception {
        String url = node.node.endpoints().metricsUrl().replace("/metrics", "/health");
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void aKafkaOutageMakesTheNodeUnhealthyLosesNoAcceptedCommandAndHealsByItself() throws Exception {
        Path kafkaDir = Files.createTempDirectory("amtbus-outage-kafka-");
        int port = freePort();
        EmbeddedKafka kafka = EmbeddedKafka.start(kafkaDir, port);
        Path dataDir = Files.createTempDirectory("amtbus-kafka-outage-");
        try (RunningNode node = RunningNode.start(dataDir, Map.of("kafka.bootstrapServers", kafka.bootstrapServers(),
                "kafka.replicationFactor", "1"))) {
            assertThat(health(node)).isEqualTo(200);
            Mqtt5BlockingClient operator = node.adminClient(RunningNode.newClientId());
            DeviceGuid guid = DeviceGuid.of(UUID.randomUUID());
            String topic = "amtbus/v1/acme/devices/" + guid.value();
            try (var publishes = operator.publishes(MqttGlobalPublishFilter.ALL)) {
                operator.subscribeWith().topicFilter(topic + "/results").qos(MqttQos.AT_LEAST_ONCE).send();

                kafka.close();
                await("unhealthy").atMost(Duration.ofSeconds(60)).until(() -> health(node) == 503);
                Command command = new Command(UUID.randomUUID(), new TenantId("acme"), guid, CommandAction.POWER_STATE, 600,
                        null, Instant.now());
                operator.publishWith().topic(topic + "/commands").qos(MqttQos.AT_LEAST_ONCE).payload(Json.write(command)).send();
                // the outage goes on: the node stays unhealthy for 20 s more
                await("still unhealthy").during(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(40))
                        .until(() -> health(node) == 503);

                kafka = EmbeddedKafka.start(kafkaDir, port);
                await("healthy again").atMost(Duration.ofSeconds(120)).until(() -> health(node) == 200);
                Optional<Mqtt5Publish> result = publishes.receive(120, TimeUnit.SECONDS);
                assertThat(result).as("the command accepted during the outage is answered").isPresent();
                CommandResult r = Json.read(result.get().getPayloadAsBytes(), CommandResult.class);
                assertThat(r.commandId()).isEqualTo(command.id());
                assertThat(r.status()).isEqualTo(CommandResult.Status.OFFLINE);
            } finally {
                operator.disconnect();
            }
        } finally {
            kafka.close();
        }
    }
}
