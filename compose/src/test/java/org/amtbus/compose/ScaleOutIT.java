package org.amtbus.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.amtbus.platform.db.Database;
import org.amtbus.platform.device.DeviceLeases;
import org.amtbus.platform.device.Lease;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.Command;
import org.amtbus.schemas.model.CommandAction;
import org.amtbus.schemas.model.CommandResult;
import org.amtbus.schemas.model.DeviceEvent;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.GatewayId;
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
 * Scale-out with real processes: two brokers, two gateways, two routers and the audit sink beside a core process
 * (Kafka, PostgreSQL, API), the real jar with {@code --roles} in each, simulated machines spread over both
 * gateways. The kill scenarios run last, in order: each changes the topology.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutIT {

    private static final TenantId TENANT = new TenantId("acme");
    private static final int DEVICES = 6;
    private static ProcessTopology topology;
    private static Database database;
    private static SimulatedFleet fleet;
    private static final List<SimulatedDevice> MACHINES = new ArrayList<>();
    private static final List<Mqtt5BlockingClient> OPERATORS = new ArrayList<>();
    private static DeviceLeases leases;

    @BeforeAll
    static void start() throws Exception {
        assertThat(AmtbusProcess.JAR).as("the app jar is built before this module").exists();
        topology = ProcessTopology.start(2, 2, 2);
        database = Database.connectToRunningEmbedded(topology.dataDir, topology.postgresPort);
        leases = new DeviceLeases(database.dataSource());
        MACHINES.addAll(TopologyClients.enroll(topology, database, TENANT, DEVICES));
        fleet = TopologyClients.dial(topology, MACHINES);
        await().atMost(Duration.ofSeconds(90)).until(() -> MACHINES.stream().allMatch(m -> leases.holder(guid(m)).isPresent()));
        for (AmtbusProcess broker : topology.brokers) {
            OPERATORS.add(TopologyClients.operator(topology, broker, "op-" + broker.name));
        }
    }

    @AfterAll
    static void stop() {
        TopologyClients.stopAll(OPERATORS, fleet, database, topology);
    }

    private static DeviceGuid guid(SimulatedDevice m) {
        return DeviceGuid.of(m.guid());
    }

    private static String topic(DeviceGuid guid, String kind) {
        return TopologyClients.topic(TENANT, guid, kind);
    }

    /** Sends a command through one broker and returns its result, as received on that broker. */
    private static CommandResult run(Mqtt5BlockingClient operator, DeviceGuid guid, CommandAction action) throws IOException {
        return TopologyClients.run(operator, TENANT, guid, action, Duration.ofSeconds(60));
    }

    @Test
    @Order(1)
    void devicesAreSpreadOverBothGatewaysAndCommandsThroughEitherBrokerReachEveryDevice() throws Exception {
        Set<GatewayId> holders = MACHINES.stream().map(m -> leases.holder(guid(m)).orElseThrow().gatewayId())
                .collect(Collectors.toSet());
        assertThat(holders).containsExactlyInAnyOrder(new GatewayId("gateway-1"), new GatewayId("gateway-2"));
        for (SimulatedDevice m : MACHINES) {
            for (Mqtt5BlockingClient operator : OPERATORS) {
                CommandResult r = run(operator, guid(m), CommandAction.POWER_STATE);
                assertThat(r.status()).as(r.reason() == null ? "" : r.reason()).isEqualTo(CommandResult.Status.SUCCEEDED);
            }
        }
    }

    @Test
    @Order(2)
    void anEventReachesSubscribersOnBothBrokersOnce() throws Exception {
        DeviceGuid guid = guid(MACHINES.get(0));
        List<Mqtt5BlockingClient.Mqtt5Publishes> watchers = new ArrayList<>();
        List<Mqtt5BlockingClient> subscribers = new ArrayList<>();
        try {
            for (AmtbusProcess broker : topology.brokers) {
                Mqtt5BlockingClient s = TopologyClients.operator(topology, broker, "watch-" + broker.name);
                subscribers.add(s);
                watchers.add(s.publishes(MqttGlobalPublishFilter.ALL));
                s.subscribeWith().topicFilter(topic(guid, "events")).qos(MqttQos.AT_LEAST_ONCE).send();
            }
            CommandResult reset = run(OPERATORS.get(0), guid, CommandAction.POWER_RESET);
            assertThat(reset.status()).isEqualTo(CommandResult.Status.SUCCEEDED);
            for (Mqtt5BlockingClient.Mqtt5Publishes w : watchers) {
                List<DeviceEvent> seen = new ArrayList<>();
                long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (System.nanoTime() < end) {
                    w.receive(500, TimeUnit.MILLISECONDS).ifPresent(p -> {
                        try {
                            seen.add(Json.read(p.getPayloadAsBytes(), DeviceEvent.class));
                        } catch (IOException e) {
                            throw new AssertionError(e);
                        }
                    });
                }
                assertThat(seen).filteredOn(e -> reset.commandId().toString().equals(e.data().get("commandId")))
                        .as("the power event, once").hasSize(1);
            }
        } finally {
            watchers.forEach(Mqtt5BlockingClient.Mqtt5Publishes::close);
            subscribers.forEach(Mqtt5BlockingClient::disconnect);
        }
    }

    @Test
    @Order(3)
    void killingARouterAndABrokerUnderLoadLeavesNoAcceptedCommandWithoutAResult() throws Exception {
        Mqtt5BlockingClient operator = OPERATORS.get(1);
        List<UUID> accepted = new ArrayList<>();
        Map<UUID, Set<UUID>> resultIds = new java.util.concurrent.ConcurrentHashMap<>();
        Map<UUID, CommandResult.Status> statuses = new java.util.concurrent.ConcurrentHashMap<>();
        try (var publishes = operator.publishes(MqttGlobalPublishFilter.ALL)) {
            operator.subscribeWith().topicFilter("amtbus/v1/" + TENANT.value() + "/devices/+/results").qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        Optional<Mqtt5Publish> p = publishes.receive(200, TimeUnit.MILLISECONDS);
                        if (p.isPresent()) {
                            CommandResult r = Json.read(p.get().getPayloadAsBytes(), CommandResult.class);
                            resultIds.computeIfAbsent(r.commandId(), k -> java.util.concurrent.ConcurrentHashMap.newKeySet())
                                    .add(r.id());
                            statuses.put(r.commandId(), r.status());
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            for (int i = 0; i < 40; i++) {
                if (i == 10) {
                    topology.routers.get(0).kill();
                    topology.brokers.get(0).kill();
                }
                DeviceGuid guid = guid(MACHINES.get(i % MACHINES.size()));
                Command c = new Command(UUID.randomUUID(), TENANT, guid, CommandAction.POWER_STATE, 300, null, Instant.now());
                // a QoS 1 publish that returns was acknowledged by the broker: the command is accepted
                operator.publishWith().topic(topic(guid, "commands")).qos(MqttQos.AT_LEAST_ONCE).payload(Json.write(c)).send();
                accepted.add(c.id());
            }
            try {
                await("a result for every accepted command").atMost(Duration.ofSeconds(150))
                        .until(() -> accepted.stream().allMatch(resultIds::containsKey));
            } finally {
                reader.interrupt();
                operator.unsubscribeWith().topicFilter("amtbus/v1/" + TENANT.value() + "/devices/+/results").send();
            }
        }
        for (UUID id : accepted) {
            assertThat(resultIds.get(id)).as("one result for " + id).hasSize(1);
            assertThat(statuses.get(id)).isIn(CommandResult.Status.SUCCEEDED, CommandResult.Status.FAILED);
        }
        assertThat(topology.routers.get(1).alive()).isTrue();
    }

    @Test
    @Order(4)
    void killingTheAuditSinkLosesNoAuditEventAndTheChainContinues() throws Exception {
        String prefix = "probe-" + UUID.randomUUID().toString().substring(0, 8);
        int attempts = 30;
        for (int i = 0; i < attempts; i++) {
            if (i == 10) {
                topology.auditSink.kill();
            }
            if (i == 20) {
                topology.restart(topology.auditSink);
            }
            Mqtt5BlockingClient intruder = TopologyClients.mqtt(topology, topology.brokers.get(1), prefix + "-" + i,
                    prefix + "-" + i, "wrong password".getBytes(StandardCharsets.UTF_8));
            try {
                intruder.connect();
                throw new AssertionError("a wrong password was accepted");
            } catch (com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException expected) {
                // refused, and audited as auth.login failure
            }
        }
        var queries = new org.amtbus.audit.query.AuditQueries(database.dataSource());
        await("every failed login in the trail").atMost(Duration.ofSeconds(90)).until(() -> queries.search(
                        org.amtbus.audit.query.AuditSearch.all().withType("auth.login").withLimit(10_000)).stream()
                .filter(e -> e.event().actor().name().startsWith(prefix)).count() == attempts);
        var verification = queries.verify();
        assertThat(verification.intact()).as(verification.firstProblem().map(Object::toString).orElse("")).isTrue();
    }

    @Test
    @Order(5)
    void killingAGatewayMovesItsDevicesToTheOtherAndLaterCommandsSucceed() throws Exception {
        AmtbusProcess victim = topology.gateways.get(0);
        List<SimulatedDevice> onVictim = MACHINES.stream()
                .filter(m -> leases.holder(guid(m)).map(Lease::gatewayId).orElseThrow().value().equals(victim.name)).toList();
        assertThat(onVictim).isNotEmpty();

        victim.kill();

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(onVictim)
                .allSatisfy(m -> assertThat(leases.holder(guid(m))).hasValueSatisfying(
                        l -> assertThat(l.gatewayId().value()).isEqualTo("gateway-2"))));
        for (SimulatedDevice m : onVictim) {
            CommandResult r = run(OPERATORS.get(1), guid(m), CommandAction.POWER_STATE);
            assertThat(r.status()).isEqualTo(CommandResult.Status.SUCCEEDED);
            assertThat(r.gatewayId()).isEqualTo(new GatewayId("gateway-2"));
        }
        assertThat(topology.gateways.get(1).alive()).isTrue();
        assertThat(Map.of("core", topology.core.alive())).containsEntry("core", true);
    }
}
