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
import org.amtbus.platform.db.EmbeddedPostgres;
import org.amtbus.platform.secret.SealedFileSecretStore;
import org.amtbus.platform.secret.Secret;
import org.amtbus.platform.testing.SharedKafka;
import org.amtbus.platform.testing.SharedPostgres;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.Command;
import org.amtbus.schemas.model.CommandAction;
import org.amtbus.schemas.model.CommandResult;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL outage with the real node: it reports itself unhealthy on {@code GET /health} while the database
 * is gone, answers a new MQTT login "server unavailable", holds a command accepted meanwhile instead of losing it,
 * and recovers by itself when the database is back.
 */
class OutageIT {

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static HttpResponse<String> health(RunningNode node) throws Exception {
        String metrics = node.node.endpoints().metricsUrl();
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(metrics.replace("/metrics", "/health")))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aDatabaseOutageMakesTheNodeUnhealthyLosesNoCommandAndHealsByItself() throws Exception {
        Path pgDir = Files.createTempDirectory("amtbus-outage-pg-");
        int pgPort = freePort();
        EmbeddedPostgres pg = EmbeddedPostgres.start(pgDir, pgPort, SharedPostgres.binariesDir());
        Path dataDir = Files.createTempDirectory("amtbus-outage-");
        try (SealedFileSecretStore store = SealedFileSecretStore.open(dataDir.resolve("secrets"))) {
            store.put(NodeSettings.DATABASE_PASSWORD, Secret.ofChars(pg.password()));
        }
        Map<String, String> external = Map.of(
                "kafka.bootstrapServers", SharedKafka.bootstrapServers(),
                "kafka.replicationFactor", "1",
                "database.url", pg.jdbcUrl("postgres"),
                "database.user", EmbeddedPostgres.SUPERUSER);
        try (RunningNode node = RunningNode.start(dataDir, external)) {
            assertThat(health(node).statusCode()).isEqualTo(200);
            assertThat(health(node).body()).startsWith("up").contains("database up").contains("kafka up");

            // connected before the outage: logins need the database
            Mqtt5BlockingClient operator = node.adminClient(RunningNode.newClientId());
            pg.close();
            await("unhealthy").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                HttpResponse<String> h = health(node);
                assertThat(h.statusCode()).isEqualTo(503);
                assertThat(h.body()).startsWith("down").contains("database down");
            });

            // a login during the outage is told the server is unavailable (not that its password is wrong)
            Mqtt5BlockingClient late = node.mqttClient(RunningNode.newClientId()).simpleAuth().username("admin")
                    .password(node.adminPassword().getBytes(java.nio.charset.StandardCharsets.UTF_8)).applySimpleAuth()
                    .buildBlocking();
            org.assertj.core.api.Assertions.assertThatThrownBy(late::connect).isInstanceOfSatisfying(
                    com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException.class,
                    e -> assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(
                            com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE));

            // a command accepted during the outage waits in Kafka and is answered once the database is back
            DeviceGuid guid = DeviceGuid.of(UUID.randomUUID());
            Command command = new Command(UUID.randomUUID(), new TenantId("acme"), guid, CommandAction.POWER_STATE, 600, null,
                    Instant.now());
            try (var publishes = operator.publishes(MqttGlobalPublishFilter.ALL)) {
                String topic = "amtbus/v1/acme/devices/" + guid.value();
                operator.subscribeWith().topicFilter(topic + "/results").qos(MqttQos.AT_LEAST_ONCE).send();
                operator.publishWith().topic(topic + "/commands").qos(MqttQos.AT_LEAST_ONCE).payload(Json.write(command)).send();

                pg = EmbeddedPostgres.start(pgDir, pgPort, SharedPostgres.binariesDir());
                await("healthy again").atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                        assertThat(health(node).statusCode()).isEqualTo(200));
                Optional<Mqtt5Publish> result = publishes.receive(90, TimeUnit.SECONDS);
                assertThat(result).isPresent();
                CommandResult r = Json.read(result.get().getPayloadAsBytes(), CommandResult.class);
                assertThat(r.commandId()).isEqualTo(command.id());
                assertThat(r.status()).isEqualTo(CommandResult.Status.OFFLINE);
            } finally {
                operator.disconnect();
            }
        } finally {
            pg.close();
        }
    }
}
