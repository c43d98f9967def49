package org.amtbus.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.platform.db.Database;
import org.amtbus.platform.kafka.KafkaClients;
import org.amtbus.platform.kafka.Topics;
import org.amtbus.platform.secret.SealedFileSecretStore;
import org.amtbus.platform.testing.SharedKafka;
import org.amtbus.platform.testing.SharedPostgres;
import org.amtbus.platform.testing.TestDirectories;
import org.amtbus.platform.testing.TopicWatch;
import org.amtbus.platform.tls.CertificateAuthority;
import org.amtbus.provisioning.profile.CiraPolicy;
import org.amtbus.provisioning.profile.ControlMode;
import org.amtbus.provisioning.profile.NetworkSettings;
import org.amtbus.provisioning.profile.Profile;
import org.amtbus.provisioning.profile.UserConsent;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.ProvisioningRequest;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.BridgeHeaders;
import org.amtbus.schemas.topic.KafkaTopics;
import org.amtbus.sim.amt.AmtWebService;
import org.amtbus.sim.amt.InMemoryTransport;
import org.amtbus.sim.amt.SimulatedDevice;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The role as a node starts it: requests on Kafka as the broker bridges them, statuses back on the topic. */
class ProvisioningRoleIT {

    private static final TenantId TENANT = new TenantId("umbrella");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<DeviceGuid, DeviceChannels.Channel> AGENTS = new ConcurrentHashMap<>();
    private static Path dir;
    private static Database database;
    private static SealedFileSecretStore secrets;
    private static KafkaClients kafka;
    private static Producer<String, byte[]> producer;
    private static ProvisioningRole role;

    @BeforeAll
    static void start() {
        dir = TestDirectories.newTemporary("amtbus-provisioning-role-");
        database = SharedPostgres.newDatabase().migrated();
        secrets = SealedFileSecretStore.open(dir.resolve("secrets"));
        kafka = SharedKafka.clients();
        try (var a = kafka.admin()) {
            new Topics(a, Topics.Settings.embedded()).createAll();
        }
        producer = kafka.producer("test");
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir.resolve("ca"), Clock.systemUTC());
        role = ProvisioningRole.start(ProvisioningRole.Settings.defaults(), database.dataSource(), secrets, kafka,
                new AuditLog(producer, Clock.systemUTC(), "provisioning-role-it"), ca.certificate(),
                (tenant, guid) -> Optional.ofNullable(AGENTS.get(guid)), Clock.systemUTC());
        role.admin().putProfile(new Profile("kiosk", TENANT, ControlMode.CCM, CiraPolicy.defaults("cira.umbrella.example", 4433),
                UserConsent.ALL, NetworkSettings.dhcp(), List.of()), AuditEvent.Actor.user("ops"));
    }

    @AfterAll
    static void stop() {
        role.close();
        producer.close();
        secrets.close();
        database.close();
        TestDirectories.deleteRecursively(dir);
    }

    private static void publish(ProvisioningRequest request) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(BridgeHeaders.PRINCIPAL, "ops".getBytes(StandardCharsets.UTF_8));
        headers.add(BridgeHeaders.TENANT, request.tenant().value().getBytes(StandardCharsets.UTF_8));
        // the broker keys requests by tenant
        producer.send(new ProducerRecord<>(KafkaTopics.PROVISIONING, null, request.tenant().value(), Json.write(request), headers));
        producer.flush();
    }

    @Test
    void aRequestOnKafkaProvisionsTheDeviceBehindItsAgent() {
        SimulatedDevice device = SimulatedDevice.preProvisioned(UUID.randomUUID(), "umbrella.example", List.of(), RANDOM);
        DeviceGuid guid = DeviceGuid.of(device.guid());
        AGENTS.put(guid, new DeviceChannels.Channel(new DeviceReport("umbrella.example", java.util.Set.of()),
                InMemoryTransport.local(new AmtWebService(device, Clock.systemUTC(), RANDOM))));
        try (var statuses = TopicWatch.open(kafka, KafkaTopics.PROVISIONING, JsonNode.class)) {
            publish(new ProvisioningRequest(UUID.randomUUID(), TENANT, guid, "kiosk", Instant.now()));

            JsonNode done = statuses.await("succeeded", s -> s.path("guid").asText().equals(guid.value())
                    && s.path("state").asText().equals("succeeded"));
            assertThat(done.path("step").asText()).isEqualTo("done");
            assertThat(device.controlMode()).isEqualTo(SimulatedDevice.ControlMode.CCM);
            assertThat(device.ciraSettings().orElseThrow().mpsAddress()).isEqualTo("cira.umbrella.example");
        }
    }

    @Test
    void aRequestForADeviceWithoutAnAgentFails() {
        DeviceGuid guid = DeviceGuid.of(UUID.randomUUID());
        try (var statuses = TopicWatch.open(kafka, KafkaTopics.PROVISIONING, JsonNode.class)) {
            publish(new ProvisioningRequest(UUID.randomUUID(), TENANT, guid, "kiosk", Instant.now()));

            JsonNode failed = statuses.await("failed", s -> s.path("guid").asText().equals(guid.value())
                    && s.path("state").asText().equals("failed"));
            assertThat(failed.path("reason").asText()).isEqualTo("no agent relay is connected for device " + guid.value());
        }
    }
}
