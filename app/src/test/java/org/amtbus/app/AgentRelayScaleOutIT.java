package org.amtbus.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.netty.channel.nio.NioEventLoopGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.amtbus.acl.enrollment.EnrollmentTokens;
import org.amtbus.platform.device.DeviceLeases;
import org.amtbus.platform.secret.SealedFileSecretStore;
import org.amtbus.platform.secret.Secret;
import org.amtbus.platform.testing.SharedKafka;
import org.amtbus.platform.testing.SharedPostgres;
import org.amtbus.platform.testing.TestDatabase;
import org.amtbus.provisioning.profile.CiraPolicy;
import org.amtbus.provisioning.profile.ControlMode;
import org.amtbus.provisioning.profile.DomainStore;
import org.amtbus.provisioning.profile.NetworkSettings;
import org.amtbus.provisioning.profile.Profile;
import org.amtbus.provisioning.profile.ProfileAdmin;
import org.amtbus.provisioning.profile.ProfileStore;
import org.amtbus.provisioning.profile.UserConsent;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.ProvisioningRequest;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.sim.agent.SimulatedAgent;
import org.amtbus.sim.amt.AmtWebService;
import org.amtbus.sim.amt.SimulatedDevice;
import org.junit.jupiter.api.Test;

/**
 * Scale-out: two nodes sharing Kafka and PostgreSQL, the agent on one node's broker (a broker-only node), the
 * provisioning worker, gateway and the operator on the other. The request, the agent's report and every WS-Man
 * frame cross between the brokers through Kafka, and the machine ends connected over CIRA.
 */
class AgentRelayScaleOutIT {

    private static final TenantId TENANT = new TenantId("scale");
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void anAgentOnAnotherNodesBrokerIsProvisionedByThisNodesWorker() throws Exception {
        // given node A (every role) and node B (broker only) on one Kafka and one PostgreSQL
        TestDatabase db = SharedPostgres.newDatabase();
        Path dirA = Files.createTempDirectory("amtbus-scale-a-");
        Path dirB = Files.createTempDirectory("amtbus-scale-b-");
        for (Path dir : List.of(dirA, dirB)) {
            try (SealedFileSecretStore store = SealedFileSecretStore.open(dir.resolve("secrets"))) {
                store.put(NodeSettings.DATABASE_PASSWORD, Secret.ofChars(db.password().get()));
            }
        }
        Map<String, String> shared = Map.of(
                "kafka.bootstrapServers", SharedKafka.bootstrapServers(),
                "kafka.replicationFactor", "1",
                "database.url", db.jdbcUrl(),
                "database.user", db.user());
        Map<String, String> a = new java.util.HashMap<>(shared);
        a.put("app.nodeId", "node-a");
        Map<String, String> b = new java.util.HashMap<>(shared);
        b.put("app.nodeId", "node-b");
        b.put("app.roles", "broker");
        NioEventLoopGroup cira = new NioEventLoopGroup(1);
        try (RunningNode nodeA = RunningNode.start(dirA, a);
             RunningNode nodeB = RunningNode.start(dirB, b);
             SealedFileSecretStore storeA = SealedFileSecretStore.open(dirA.resolve("secrets"))) {
            new ProfileAdmin(new ProfileStore(db.dataSource()), new DomainStore(db.dataSource(), storeA), nodeA.node.audit())
                    .putProfile(new Profile("office", TENANT, ControlMode.CCM, CiraPolicy.defaults("127.0.0.1", nodeA.ciraPort()),
                            UserConsent.ALL, NetworkSettings.dhcp(), List.of("scale")), AuditEvent.Actor.user("alice"));
            SimulatedDevice device = SimulatedDevice.preProvisioned(UUID.randomUUID(), "corp.example", List.of(), RANDOM);
            DeviceGuid guid = DeviceGuid.of(device.guid());
            byte[] token = new EnrollmentTokens(db.dataSource(), nodeA.node.audit(), Clock.systemUTC())
                    .issue(TENANT, guid, Duration.ofMinutes(5), AuditEvent.Actor.user("alice")).token().revealBytes();

            // and the machine's agent connected to node B's broker
            try (SimulatedAgent agent = SimulatedAgent.connect(device, new AmtWebService(device, Clock.systemUTC(), RANDOM),
                    TENANT, new SimulatedAgent.Broker("127.0.0.1", nodeB.mqttPort(), nodeB.caCertificate()), token,
                    SimulatedAgent.Behaviour.RELAY, cira)) {
                Mqtt5BlockingClient operator = nodeA.adminClient(RunningNode.newClientId());
                String statusTopic = "amtbus/v1/" + TENANT.value() + "/provisioning/status/" + guid.value();
                List<String> steps = new ArrayList<>();
                // when an operator on node A publishes the provisioning request
                try (Mqtt5BlockingClient.Mqtt5Publishes publishes = operator.publishes(MqttGlobalPublishFilter.ALL)) {
                    operator.subscribeWith().topicFilter(statusTopic).qos(MqttQos.AT_LEAST_ONCE).send();
                    operator.publishWith().topic("amtbus/v1/" + TENANT.value() + "/provisioning/requests")
                            .qos(MqttQos.AT_LEAST_ONCE).payload(Json.write(new ProvisioningRequest(UUID.randomUUID(), TENANT,
                                    guid, "office", Instant.now()))).send();
                    long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                    while (System.nanoTime() < end) {
                        Optional<Mqtt5Publish> p = publishes.receive(1, TimeUnit.SECONDS);
                        if (p.isEmpty()) {
                            continue;
                        }
                        JsonNode s = Json.read(p.get().getPayloadAsBytes(), JsonNode.class);
                        steps.add(s.path("step").asText() + ":" + s.path("state").asText() + " " + s.path("reason").asText());
                        if (!s.path("state").asText().equals("pending") && !s.path("state").asText().equals("running")) {
                            break;
                        }
                    }
                } finally {
                    operator.disconnect();
                }

                // then the worker on node A provisioned it through node B's broker, and it connected over CIRA
                assertThat(steps).as(steps.toString()).last().asString().startsWith("done:succeeded");
                assertThat(device.controlMode()).isEqualTo(SimulatedDevice.ControlMode.CCM);
                DeviceLeases leases = new DeviceLeases(db.dataSource());
                await().atMost(Duration.ofSeconds(60)).until(() -> leases.holder(guid).isPresent());
            }
        } finally {
            cira.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
