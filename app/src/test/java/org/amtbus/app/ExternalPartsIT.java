package org.amtbus.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.amtbus.platform.kafka.KafkaClients;
import org.amtbus.platform.secret.SealedFileSecretStore;
import org.amtbus.platform.secret.Secret;
import org.amtbus.platform.testing.SharedKafka;
import org.amtbus.platform.testing.SharedPostgres;
import org.amtbus.platform.testing.TestDatabase;
import org.amtbus.schemas.topic.KafkaTopics;
import org.apache.kafka.clients.consumer.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A node pointed at a Kafka cluster and a PostgreSQL it does not run itself (here: servers started by
 * the test, outside the node), with the database password taken from the secret store.
 */
class ExternalPartsIT {

    @Test
    void runsOnAnExternalKafkaAndPostgresqlAndStartsNoEmbeddedOnes() throws Exception {
        // given an external database whose password is only in the node's secret store
        TestDatabase db = SharedPostgres.newDatabase();
        Path dataDir = Files.createTempDirectory("amtbus-external-");
        try (SealedFileSecretStore store = SealedFileSecretStore.open(dataDir.resolve("secrets"))) {
            store.put(NodeSettings.DATABASE_PASSWORD, Secret.ofChars(db.password().get()));
        }
        Map<String, String> external = Map.of(
                "kafka.bootstrapServers", SharedKafka.bootstrapServers(),
                "kafka.replicationFactor", "1", // the test cluster has one broker; external clusters default to 3
                "database.url", db.jdbcUrl(),
                "database.user", db.user());
        String guid = UUID.randomUUID().toString();

        // when
        try (RunningNode node = RunningNode.start(dataDir, external)) {
            Mqtt5BlockingClient client = node.adminClient(RunningNode.newClientId());
            client.publishWith().topic("amtbus/v1/acme/devices/" + guid + "/commands").qos(MqttQos.AT_LEAST_ONCE)
                    .payload("{}".getBytes(StandardCharsets.UTF_8)).send();
            client.disconnect();

            // then the command is in the external Kafka
            try (Consumer<String, byte[]> consumer = SharedKafka.clients().consumer("it-" + UUID.randomUUID(),
                    KafkaClients.OffsetReset.EARLIEST)) {
                consumer.subscribe(List.of(KafkaTopics.COMMANDS));
                assertThat(RunningNode.pollUntil(consumer, java.time.Duration.ofSeconds(30),
                        records -> records.stream().anyMatch(r -> guid.equals(r.key()))))
                        .anyMatch(r -> guid.equals(r.key()));
            }
            // and the accounts live in the external database
            try (Connection c = db.dataSource().getConnection();
                 ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM accounts WHERE superuser")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            assertThat(node.node.endpoints().embeddedKafka()).isFalse();
            assertThat(node.node.endpoints().embeddedDatabase()).isFalse();
        }
        // and nothing embedded was started
        assertThat(dataDir.resolve("postgres")).doesNotExist();
        assertThat(dataDir.resolve("kafka")).doesNotExist();
    }

    @Test
    void anExternalDatabaseWithoutItsPasswordInTheSecretStoreIsOneClearLine() throws Exception {
        TestDatabase db = SharedPostgres.newDatabase();
        Path dataDir = Files.createTempDirectory("amtbus-external-");
        Map<String, String> external = Map.of(
                "kafka.bootstrapServers", SharedKafka.bootstrapServers(),
                "database.url", db.jdbcUrl(),
                "database.user", db.user());

        assertThatThrownBy(() -> RunningNode.start(dataDir, external))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("amtbus secret put database/password");
    }

    @Test
    void aRemoteKafkaWithoutTlsOrARemoteDatabaseWithoutVerifiedTlsIsRefused() throws Exception {
        Path dataDir = Files.createTempDirectory("amtbus-external-");
        assertThatThrownBy(() -> RunningNode.start(dataDir, Map.of("kafka.bootstrapServers", "kafka.example.org:9093")))
                .hasMessageContaining("kafka.tls.caFile");
        assertThatThrownBy(() -> RunningNode.start(dataDir, Map.of(
                "database.url", "jdbc:postgresql://db.example.org:5432/amtbus", "database.user", "amtbus")))
                .hasMessageContaining("sslmode=verify-full");
    }
}
