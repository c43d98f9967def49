package org.amtbus.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import org.amtbus.platform.device.DeviceRegistry;
import org.amtbus.platform.device.DeviceSecrets;
import org.amtbus.platform.testing.TopicWatch;
import org.amtbus.provisioning.profile.CiraPolicy;
import org.amtbus.provisioning.profile.ControlMode;
import org.amtbus.provisioning.profile.DomainStore;
import org.amtbus.provisioning.profile.NetworkSettings;
import org.amtbus.provisioning.profile.Profile;
import org.amtbus.provisioning.profile.ProfileStore;
import org.amtbus.provisioning.profile.UserConsent;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.ProvisioningRequest;
import org.amtbus.schemas.model.ProvisioningStatus;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.BridgeHeaders;
import org.amtbus.schemas.topic.KafkaTopics;
import org.amtbus.sim.amt.AmtWebService;
import org.amtbus.sim.amt.InMemoryTransport;
import org.amtbus.sim.amt.SimulatedDevice;
import org.amtbus.wsman.client.Transport;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The role as a node starts it: requests on Kafka as the broker bridges them (publisher re-authorized),
 * statuses back on the topic, and runs of a dead worker rolled back by a live one.
 */
class ProvisioningRoleIT {

    private static final TenantId TENANT = new TenantId("umbrella");
    private static final String REQUESTS = "amtbus/v1/umbrella/provisioning/requests";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Short, so a dead worker's run is taken over within seconds. */
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Map<DeviceGuid, DeviceChannels.Channel> AGENTS = new ConcurrentHashMap<>();
    private static ProvisioningFixture fixture;
    private static ProvisioningRole role;

    @BeforeAll
    static void start() {
        fixture = new ProvisioningFixture("provisioning-role-it");
        fixture.account("ops", TENANT, "amtbus/v1/{tenant}/provisioning/#", 3);
        fixture.account("watcher", TENANT, "amtbus/v1/{tenant}/#", 1);
        role = ProvisioningRole.start(new ProvisioningRole.Settings(4, LEASE), fixture.database.dataSource(), fixture.secrets,
                fixture.kafka, fixture.audit, fixture.access, fixture.ca.certificate(),
                (tenant, guid) -> Optional.ofNullable(AGENTS.get(guid)), Clock.systemUTC());
        role.admin().putProfile(new Profile("kiosk", TENANT, ControlMode.CCM, CiraPolicy.defaults("cira.umbrella.example", 4433),
                UserConsent.ALL, NetworkSettings.dhcp(), List.of()), AuditEvent.Actor.user("ops"));
    }

    @AfterAll
    static void stop() {
        role.close();
        fixture.close();
    }

    private static void publish(ProvisioningRequest request, String principal) {
        RecordHeaders headers = new RecordHeaders();
        if (principal != null) {
            headers.add(BridgeHeaders.PRINCIPAL, principal.getBytes(StandardCharsets.UTF_8));
        }
        headers.add(BridgeHeaders.TENANT, request.tenant().value().getBytes(StandardCharsets.UTF_8));
        // the broker keys requests by tenant
        fixture.producer.send(new ProducerRecord<>(KafkaTopics.PROVISIONING, null, request.tenant().value(), Json.write(request),
                headers));
        fixture.producer.flush();
    }

    private static SimulatedDevice deviceWithAgent() {
        SimulatedDevice device = SimulatedDevice.preProvisioned(UUID.randomUUID(), "umbrella.example", List.of(), RANDOM);
        AGENTS.put(DeviceGuid.of(device.guid()), new DeviceChannels.Channel(new DeviceReport("umbrella.example", Set.of()),
                InMemoryTransport.local(new AmtWebService(device, Clock.systemUTC(), RANDOM))));
        return device;
    }

    @Test
    void aRequestOnKafkaProvisionsTheDeviceBehindItsAgent() {
        SimulatedDevice device = deviceWithAgent();
        DeviceGuid guid = DeviceGuid.of(device.guid());
        try (var statuses = TopicWatch.open(fixture.kafka, KafkaTopics.PROVISIONING, JsonNode.class)) {
            publish(new ProvisioningRequest(UUID.randomUUID(), TENANT, guid, "kiosk", Instant.now()), "ops");

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
        try (var statuses = TopicWatch.open(fixture.kafka, KafkaTopics.PROVISIONING, JsonNode.class)) {
            publish(new ProvisioningRequest(UUID.randomUUID(), TENANT, guid, "kiosk", Instant.now()), "ops");

            JsonNode failed = statuses.await("failed", s -> s.path("guid").asText().equals(guid.value())
                    && s.path("state").asText().equals("failed"));
            assertThat(failed.path("reason").asText()).isEqualTo("no agent relay is connected for device " + guid.value());
        }
    }

    @Test
    void aPublisherWithoutPublishRightsOrWithoutAPrincipalIsRefusedAuditedAndTheDeviceIsNotTouched() {
        // given a device whose agent is connected
        SimulatedDevice device = deviceWithAgent();
        DeviceGuid guid = DeviceGuid.of(device.guid());
        try (var statuses = TopicWatch.open(fixture.kafka, KafkaTopics.PROVISIONING, JsonNode.class);
             var audit = TopicWatch.open(fixture.kafka, KafkaTopics.AUDIT, AuditEvent.class)) {
            // when a subscriber-only account, an unknown account, and a record without principal ask for it
            publish(new ProvisioningRequest(UUID.randomUUID(), TENANT, guid, "kiosk", Instant.now()), "watcher");
            publish(new ProvisioningRequest(UUID.randomUUID(), TENANT, guid, "kiosk", Instant.now()), "nobody");
            publish(new ProvisioningRequest(UUID.randomUUID(), TENANT, guid, "kiosk", Instant.now()), null);

            // then each is refused at step authorize, audited as acl.denied, and nothing reached the device
            List<JsonNode> refused = statuses.awaitAll("refusals", s -> s.path("guid").asText().equals(guid.value())
                    && s.path("step").asText().equals("authorize"), 3);
            assertThat(refused).extracting(s -> s.path("reason").asText()).containsExactlyInAnyOrder(
                    "principal watcher may not publish provisioning requests for tenant umbrella",
                    "principal nobody is not an account",
                    "the request carries no principal (it did not come through the broker)");
            List<AuditEvent> denied = audit.awaitAll("acl.denied", e -> e.type().equals("acl.denied")
                    && guid.value().equals(e.details().get("guid")), 3);
            assertThat(denied).allMatch(e -> e.target().equals(REQUESTS) && e.outcome() == AuditEvent.Outcome.DENIED);
            assertThat(denied).extracting(e -> e.actor().name()).contains("watcher", "nobody");
            assertThat(statuses.seen(s -> s.path("guid").asText().equals(guid.value())
                    && s.path("schema").asText().equals(ProvisioningStatus.SCHEMA)
                    && !s.path("step").asText().equals("authorize"))).isEmpty();
            assertThat(device.controlMode()).isEqualTo(SimulatedDevice.ControlMode.NONE);
            assertThat(new ProvisioningRuns(fixture.database.dataSource()).find(guid)).isEmpty();
            assertThat(role.refusedRequests()).as("counted").isGreaterThanOrEqualTo(3);
        }
    }

    /**
     * A relay that holds back the first CIRA configuration request: its worker waits there until {@code release}
     * (forever if never released), then the request goes on to the device.
     */
    private static Transport holdingAtCira(Transport inner, CountDownLatch reached, CountDownLatch release) {
        return () -> {
            Transport.Connection c = inner.open();
            return new Transport.Connection() {
                byte[] held;

                @Override
                public void send(byte[] data) throws IOException {
                    if (reached.getCount() > 0 && new String(data, StandardCharsets.UTF_8).contains("AddTrustedRootCertificate")) {
                        held = data;
                        reached.countDown();
                        return;
                    }
                    c.send(data);
                }

                @Override
                public byte[] receive(Duration timeout) throws IOException, TimeoutException, InterruptedException {
                    if (held != null) {
                        release.await();
                        c.send(held);
                        held = null;
                    }
                    return c.receive(timeout);
                }

                @Override
                public void close() {
                    c.close();
                }
            };
        };
    }

    @Test
    void aLiveRunKeepsItsDeviceBeyondTheLeaseEvenWhenARepeatedRequestIsRefused() throws Exception {
        // given the role applying a request whose device is slow at CIRA configuration
        SimulatedDevice device = SimulatedDevice.preProvisioned(UUID.randomUUID(), "umbrella.example", List.of(), RANDOM);
        DeviceGuid guid = DeviceGuid.of(device.guid());
        CountDownLatch atCira = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AGENTS.put(guid, new DeviceChannels.Channel(new DeviceReport("umbrella.example", Set.of()), holdingAtCira(
                InMemoryTransport.local(new AmtWebService(device, Clock.systemUTC(), RANDOM)), atCira, release)));
        try (var statuses = TopicWatch.open(fixture.kafka, KafkaTopics.PROVISIONING, JsonNode.class)) {
            publish(new ProvisioningRequest(UUID.randomUUID(), TENANT, guid, "kiosk", Instant.now()), "ops");
            assertThat(atCira.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

            // when the same request is repeated meanwhile (refused: in progress)
            publish(new ProvisioningRequest(UUID.randomUUID(), TENANT, guid, "kiosk", Instant.now()), "ops");
            statuses.await("refused repeat", s -> s.path("guid").asText().equals(guid.value())
                    && s.path("step").asText().equals("claim"));

            // then for three leases nobody takes the live run over
            await().during(LEASE.multipliedBy(3)).atMost(LEASE.multipliedBy(4)).until(() -> statuses.seen(s ->
                    s.path("guid").asText().equals(guid.value()) && s.path("step").asText().equals("recovery")).isEmpty());

            // and released, it finishes as its own
            release.countDown();
            statuses.await("succeeded", s -> s.path("guid").asText().equals(guid.value())
                    && s.path("state").asText().equals("succeeded") && s.path("step").asText().equals("done"));
            assertThat(device.ciraSettings()).isPresent();
        }
    }

    @Test
    void aRunLeftRunningByADeadWorkerIsRolledBackByALiveOne() throws Exception {
        // given a worker that activated a device and then died mid-CIRA (its thread hangs, its heartbeat stopped)
        SimulatedDevice device = SimulatedDevice.preProvisioned(UUID.randomUUID(), "umbrella.example", List.of(), RANDOM);
        DeviceGuid guid = DeviceGuid.of(device.guid());
        Transport local = InMemoryTransport.local(new AmtWebService(device, Clock.systemUTC(), RANDOM));
        CountDownLatch atCira = new CountDownLatch(1);
        var db = fixture.database.dataSource();
        ProvisioningWorker dead = new ProvisioningWorker(new ProfileStore(db), new DomainStore(db, fixture.secrets),
                new ProvisioningRuns(db), new DeviceRegistry(db), new DeviceSecrets(fixture.secrets),
                new StatusPublisher(fixture.producer, Clock.systemUTC()), fixture.audit, fixture.ca.certificate(), Clock.systemUTC());
        ProvisioningRequest request = new ProvisioningRequest(UUID.randomUUID(), TENANT, guid, "kiosk", Instant.now());
        try (var statuses = TopicWatch.open(fixture.kafka, KafkaTopics.PROVISIONING, JsonNode.class);
             var audit = TopicWatch.open(fixture.kafka, KafkaTopics.AUDIT, AuditEvent.class)) {
            Thread.ofVirtual().start(() -> dead.provision(request, new DeviceReport("umbrella.example", Set.of()),
                    holdingAtCira(local, atCira, new CountDownLatch(1)), AuditEvent.Actor.user("ops")));
            assertThat(atCira.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(device.controlMode()).isEqualTo(SimulatedDevice.ControlMode.CCM);
            assertThat(new DeviceRegistry(db).find(guid)).isPresent();

            // when its agent is reachable by the live role (which never saw the request)
            AGENTS.put(guid, new DeviceChannels.Channel(new DeviceReport("umbrella.example", Set.of()), local));

            // then after the lease the live worker takes the run over and rolls it back completely
            JsonNode rolledBack = statuses.await("rolled back", s -> s.path("guid").asText().equals(guid.value())
                    && s.path("state").asText().equals("rolled-back"));
            assertThat(rolledBack.path("requestId").asText()).isEqualTo(request.id().toString());
            assertThat(rolledBack.path("reason").asText()).isEqualTo("undone: activation, registration and secrets, run");
            assertThat(statuses.seen(s -> s.path("guid").asText().equals(guid.value()) && s.path("step").asText().equals("recovery")))
                    .singleElement().satisfies(s -> assertThat(s.path("reason").asText())
                            .isEqualTo("the worker applying request " + request.id() + " stopped at step cira"));
            assertThat(device.controlMode()).isEqualTo(SimulatedDevice.ControlMode.NONE);
            assertThat(new DeviceRegistry(db).find(guid)).isEmpty();
            assertThat(fixture.secrets.list("devices/" + guid.value() + "/")).isEmpty();
            assertThat(new ProvisioningRuns(db).find(guid)).isEmpty();
            AuditEvent recovered = audit.await("recovery audited", e -> e.type().equals("profile.applied")
                    && "true".equals(e.details().get("recovered")) && e.target().equals("device:" + guid.value()));
            assertThat(recovered.outcome()).isEqualTo(AuditEvent.Outcome.FAILURE);
            assertThat(role.recoveredRuns()).as("counted").isGreaterThanOrEqualTo(1);

            // and the device can be provisioned again afterwards
            publish(new ProvisioningRequest(UUID.randomUUID(), TENANT, guid, "kiosk", Instant.now()), "ops");
            statuses.await("provisioned again", s -> s.path("guid").asText().equals(guid.value())
                    && s.path("state").asText().equals("succeeded"));
            await().atMost(Duration.ofSeconds(10)).until(() -> device.controlMode() == SimulatedDevice.ControlMode.CCM);
        }
    }
}
