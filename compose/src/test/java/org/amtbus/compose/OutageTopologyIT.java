package org.amtbus.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.amtbus.platform.db.Database;
import org.amtbus.platform.db.EmbeddedPostgres;
import org.amtbus.platform.device.DeviceLeases;
import org.amtbus.platform.kafka.EmbeddedKafka;
import org.amtbus.platform.secret.SealedFileSecretStore;
import org.amtbus.platform.secret.Secret;
import org.amtbus.platform.secret.SecretName;
import org.amtbus.platform.testing.SharedPostgres;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.Command;
import org.amtbus.schemas.model.CommandAction;
import org.amtbus.schemas.model.CommandResult;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.sim.amt.SimulatedDevice;
import org.amtbus.sim.cira.SimulatedFleet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Outages of the shared services under the scale-out topology: two brokers, two gateways, two routers and the
 * audit sink as separate processes, with Kafka and PostgreSQL as servers of their own (as in compose) that the
 * test takes away for 30 s. Every process reports itself unhealthy and names what is down, new logins are
 * refused, a command accepted during the outage is answered afterwards, and everything heals without a restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutageTopologyIT {

    private static final TenantId TENANT = new TenantId("acme");
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final SecretName DATABASE_PASSWORD = new SecretName("database/password");

    private static Path pgDir;
    private static int pgPort;
    private static EmbeddedPostgres postgres;
    private static Path kafkaDir;
    private static int kafkaPort;
    private static EmbeddedKafka kafka;
    private static ProcessTopology topology;
    private static Database database;
    private static SimulatedFleet fleet;
    private static List<SimulatedDevice> machines;
    private static final List<Mqtt5BlockingClient> OPERATORS = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        assertThat(AmtbusProcess.JAR).as("the app jar is built before this module").exists();
        pgDir = Files.createTempDirectory("amtbus-outage-topology-pg-");
        pgPort = freePort();
        postgres = EmbeddedPostgres.start(pgDir, pgPort, SharedPostgres.binariesDir());
        kafkaDir = Files.createTempDirectory("amtbus-outage-topology-kafka-");
        kafkaPort = freePort();
        kafka = EmbeddedKafka.start(kafkaDir, kafkaPort);

        Path dataDir = ProcessTopology.newDataDirectory();
        try (SealedFileSecretStore store = SealedFileSecretStore.open(dataDir.resolve("secrets"))) {
            store.put(DATABASE_PASSWORD, Secret.ofChars(postgres.password()));
        }
        topology = ProcessTopology.start(dataDir, new ProcessTopology.External(kafka.bootstrapServers(),
                postgres.jdbcUrl("postgres"), EmbeddedPostgres.SUPERUSER), 2, 2, 2);
        database = Database.connect(postgres.jdbcUrl("postgres"), EmbeddedPostgres.SUPERUSER, postgres::password, 2);
        DeviceLeases leases = new DeviceLeases(database.dataSource());
        machines = TopologyClients.enroll(topology, database, TENANT, 4);
        fleet = TopologyClients.dial(topology, machines);
        await().atMost(Duration.ofSeconds(90)).until(() -> machines.stream()
                .allMatch(m -> leases.holder(DeviceGuid.of(m.guid())).isPresent()));
        for (AmtbusProcess broker : topology.brokers) {
            OPERATORS.add(TopologyClients.operator(topology, broker, "op-" + broker.name));
        }
    }

    @AfterAll
    static void stop() {
        TopologyClients.stopAll(OPERATORS, fleet, database, topology, kafka, postgres);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    @Order(1)
    void aPostgresOutageMakesEveryProcessUnhealthyRefusesLoginsKeepsCommandsAndHeals() throws Exception {
        everyProcessIsHealthy();
        postgres.close();
        everyProcessReportsDown("database down");
        assertThatThrownBy(() -> newLogin(topology.brokers.get(0)))
                .as("no login is accepted without the database").isInstanceOf(Mqtt5ConnAckException.class);

        // commands wait in Kafka while the database is away, and are answered once it is back
        outageThenRecovery(() -> postgres = EmbeddedPostgres.start(pgDir, pgPort, SharedPostgres.binariesDir()), false);

        newLogin(topology.brokers.get(0)).disconnect();
    }

    @Test
    @Order(2)
    void aKafkaOutageMakesEveryProcessUnhealthyKeepsCommandsAndHeals() throws Exception {
        everyProcessIsHealthy();
        kafka.close();
        everyProcessReportsDown("kafka down");

        // commands cannot be made durable: each broker refuses them at once, saying why
        outageThenRecovery(() -> kafka = EmbeddedKafka.start(kafkaDir, kafkaPort), true);
    }

    /**
     * With the outage on: one command through each broker; the outage lasts {@link #OUTAGE} with every process
     * unhealthy; then the server comes back and every process heals by itself. Each command gets one answer:
     * during the outage, a refusal naming the message bus ({@code refusedAtOnce}), or else its result after the
     * recovery. Then new commands reach every machine again.
     */
    private static void outageThenRecovery(Runnable bringBack, boolean refusedAtOnce) throws Exception {
        List<Mqtt5BlockingClient.Mqtt5Publishes> watches = new ArrayList<>();
        List<UUID> accepted = new ArrayList<>();
        try {
            for (int i = 0; i < OPERATORS.size(); i++) {
                Mqtt5BlockingClient operator = OPERATORS.get(i);
                DeviceGuid guid = DeviceGuid.of(machines.get(i).guid());
                watches.add(operator.publishes(MqttGlobalPublishFilter.ALL));
                operator.subscribeWith().topicFilter(TopologyClients.topic(TENANT, guid, "results")).qos(MqttQos.AT_LEAST_ONCE)
                        .send();
                Command c = new Command(UUID.randomUUID(), TENANT, guid, CommandAction.POWER_STATE, 600, null, Instant.now());
                operator.publishWith().topic(TopologyClients.topic(TENANT, guid, "commands")).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(Json.write(c)).send();
                accepted.add(c.id());
            }
            if (refusedAtOnce) {
                for (int i = 0; i < accepted.size(); i++) {
                    CommandResult r = awaitResult(watches.get(i), accepted.get(i), Duration.ofSeconds(30));
                    assertThat(r.status()).isEqualTo(CommandResult.Status.REJECTED);
                    assertThat(r.reason()).contains("message bus (Kafka)");
                }
            }
            await("unhealthy for the whole outage").during(OUTAGE).atMost(OUTAGE.plusSeconds(60))
                    .until(() -> topology.all().stream().noneMatch(p -> p.health().statusCode() == 200));

            bringBack.run();
            everyProcessIsHealthy();
            if (!refusedAtOnce) {
                for (int i = 0; i < accepted.size(); i++) {
                    CommandResult r = awaitResult(watches.get(i), accepted.get(i), Duration.ofSeconds(120));
                    assertThat(r.status()).as("the command accepted during the outage (" + r.reason() + ")")
                            .isIn(CommandResult.Status.SUCCEEDED, CommandResult.Status.OFFLINE);
                }
            }
        } finally {
            watches.forEach(Mqtt5BlockingClient.Mqtt5Publishes::close);
        }
        for (SimulatedDevice m : machines) {
            await("commands reach " + m.guid() + " again").atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(
                    TopologyClients.run(OPERATORS.get(1), TENANT, DeviceGuid.of(m.guid()), CommandAction.POWER_STATE,
                            Duration.ofSeconds(30)).status()).isEqualTo(CommandResult.Status.SUCCEEDED));
        }
    }

    private static CommandResult awaitResult(Mqtt5BlockingClient.Mqtt5Publishes watch, UUID commandId, Duration within)
            throws Exception {
        long end = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < end) {
            Optional<Mqtt5Publish> p = watch.receive(1, TimeUnit.SECONDS);
            if (p.isPresent()) {
                CommandResult r = Json.read(p.get().getPayloadAsBytes(), CommandResult.class);
                if (r.commandId().equals(commandId)) {
                    return r;
                }
            }
        }
        throw new AssertionError("no answer within " + within + " for the command " + commandId + " sent during the outage");
    }

    private static void everyProcessIsHealthy() {
        await("every process healthy").atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(topology.all())
                .allSatisfy(p -> assertThat(p.health().statusCode()).as(p.name).isEqualTo(200)));
    }

    private static void everyProcessReportsDown(String what) {
        await("every process reports " + what).atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(topology.all())
                .allSatisfy(p -> {
                    HttpResponse<String> h = p.health();
                    assertThat(h.statusCode()).as(p.name).isEqualTo(503);
                    assertThat(h.body()).as(p.name).contains(what);
                }));
    }

    private static Mqtt5BlockingClient newLogin(AmtbusProcess broker) {
        Mqtt5BlockingClient c = TopologyClients.mqtt(topology, broker, "late-" + UUID.randomUUID(), "admin",
                topology.adminPassword().getBytes(StandardCharsets.UTF_8));
        c.connect();
        return c;
    }
}
