package org.amtbus.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.amtbus.gateway.CiraGateway;
import org.amtbus.platform.device.DeviceLeases;
import org.amtbus.platform.device.DeviceRegistry;
import org.amtbus.platform.device.DeviceSecrets;
import org.amtbus.platform.kafka.KafkaClients;
import org.amtbus.platform.kafka.Topics;
import org.amtbus.platform.testing.TopicWatch;
import org.amtbus.platform.tls.TlsContexts;
import org.amtbus.platform.tls.TlsPolicy;
import org.amtbus.provisioning.cira.CiraRelay;
import org.amtbus.provisioning.profile.CiraPolicy;
import org.amtbus.provisioning.profile.ControlMode;
import org.amtbus.provisioning.profile.DomainStore;
import org.amtbus.provisioning.profile.NetworkSettings;
import org.amtbus.provisioning.profile.Profile;
import org.amtbus.provisioning.profile.ProfileAdmin;
import org.amtbus.provisioning.profile.ProfileStore;
import org.amtbus.provisioning.profile.UserConsent;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.GatewayId;
import org.amtbus.schemas.model.ProvisioningRequest;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.KafkaTopics;
import org.amtbus.sim.amt.AmtWebService;
import org.amtbus.sim.amt.CiraSettings;
import org.amtbus.sim.amt.InMemoryTransport;
import org.amtbus.sim.amt.ProvisioningPki;
import org.amtbus.sim.amt.SimulatedDevice;
import org.amtbus.sim.cira.CiraDevice;
import org.amtbus.wsman.activation.ActivationSteps;
import org.amtbus.wsman.activation.WiredNetwork;
import org.amtbus.wsman.client.Transport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Reconfiguring and deactivating an already managed machine over CIRA, with real parts: a machine provisioned
 * through its local (agent) session dials a real CIRA gateway over TLS; the worker then reaches its WS-Man only
 * through that gateway ({@link CiraRelay}: Kafka {@code amtbus.cira-wsman.down/up}, an APF channel to 16992).
 */
class CiraReconfigurationIT {

    private static final TenantId TENANT = new TenantId("acme");
    private static final String SUFFIX = "corp.example";
    private static final char[] PFX_PASSWORD = "Pfx-Pa55word!".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AuditEvent.Actor OPERATOR = AuditEvent.Actor.user("alice");

    private static ProvisioningFixture fixture;
    private static CiraGateway gateway;
    private static EventLoopGroup devices;
    private static ProvisioningWorker worker;
    private static ProfileAdmin admin;
    private static ProvisioningPki pki;
    private static CiraRelay relay;
    private static ProvisioningRole role;
    private static DeviceRegistry registry;
    private static DeviceSecrets secrets;
    private static ListAppender<ILoggingEvent> logs;
    private final List<CiraDevice> dialled = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        logs = new ListAppender<>();
        logs.start();
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME).addAppender(logs);
        fixture = new ProvisioningFixture("cira-reconfiguration");
        var identity = fixture.ca.issueServer("gateway", List.of("localhost"), List.of(InetAddress.getLoopbackAddress()),
                Duration.ofDays(30));
        try (var kafkaAdmin = fixture.kafka.admin()) {
            gateway = CiraGateway.start(CiraGateway.Settings.defaults(new GatewayId("gw-" + UUID.randomUUID().toString()
                            .substring(0, 8)), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), identity,
                    fixture.database.dataSource(), fixture.secrets, fixture.kafka, new Topics(kafkaAdmin, Topics.Settings.embedded()),
                    fixture.audit, new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), Clock.systemUTC());
        }
        devices = new NioEventLoopGroup(2);
        registry = new DeviceRegistry(fixture.database.dataSource());
        secrets = new DeviceSecrets(fixture.secrets);
        ProfileStore profiles = new ProfileStore(fixture.database.dataSource());
        DomainStore domains = new DomainStore(fixture.database.dataSource(), fixture.secrets);
        admin = new ProfileAdmin(profiles, domains, fixture.audit);
        worker = new ProvisioningWorker(profiles, domains, new ProvisioningRuns(fixture.database.dataSource()), registry, secrets,
                new StatusPublisher(fixture.producer, Clock.systemUTC()), fixture.audit, fixture.ca.certificate(),
                Clock.systemUTC());
        relay = new CiraRelay(fixture.kafka.consumer("cira-reconfiguration-it-" + UUID.randomUUID(),
                KafkaClients.OffsetReset.LATEST), fixture.kafka.producer("cira-relay"),
                new DeviceLeases(fixture.database.dataSource()), Duration.ofSeconds(10));
        relay.start();
        assertThat(relay.awaitReady(Duration.ofSeconds(60))).isTrue();
        pki = new ProvisioningPki("amt-prov." + SUFFIX);
        admin.putDomain("corp", TENANT, SUFFIX, pki.pfx(PFX_PASSWORD), PFX_PASSWORD.clone(), OPERATOR);
        admin.putProfile(profile("acm", ControlMode.ACM, UserConsent.NONE, NetworkSettings.dhcp()), OPERATOR);
        admin.putProfile(profile("ccm", ControlMode.CCM, UserConsent.ALL, NetworkSettings.dhcp()), OPERATOR);
        fixture.account("ops", TENANT, "amtbus/v1/{tenant}/provisioning/#", 3);
        // a provisioning role whose only path to managed devices is CIRA (no agent is connected)
        role = ProvisioningRole.start(ProvisioningRole.Settings.defaults(), fixture.database.dataSource(), fixture.secrets,
                fixture.kafka, fixture.audit, fixture.access, fixture.ca.certificate(), DeviceChannels.NONE, Optional.of(relay),
                Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        if (role != null) {
            role.close();
        }
        if (relay != null) {
            relay.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (devices != null) {
            devices.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        fixture.close();
    }

    @AfterEach
    void hangUp() {
        dialled.forEach(CiraDevice::vanish);
    }

    private static Profile profile(String name, ControlMode mode, UserConsent consent, NetworkSettings network) {
        return new Profile(name, TENANT, mode, CiraPolicy.defaults("127.0.0.1", gateway.port()), consent, network,
                List.of("office"));
    }

    /** A machine provisioned with {@code profile} through its local session, not yet dialled in. */
    private static SimulatedDevice provisioned(String profile) {
        SimulatedDevice device = SimulatedDevice.preProvisioned(UUID.randomUUID(), SUFFIX, List.of(pki.rootSha256()), RANDOM);
        ProvisioningOutcome outcome = worker.provision(request(device, profile),
                new DeviceReport(device.dnsSuffix(), device.trustedRootHashes()),
                InMemoryTransport.local(new AmtWebService(device, Clock.systemUTC(), RANDOM)), OPERATOR);
        assertThat(outcome.succeeded()).as(outcome.reason()).isTrue();
        return device;
    }

    private static ProvisioningRequest request(SimulatedDevice device, String profile) {
        return new ProvisioningRequest(UUID.randomUUID(), TENANT, DeviceGuid.of(device.guid()), profile, Instant.now());
    }

    /** Dials the gateway as CIRA configuration told the machine, and waits for its lease. */
    private void dial(SimulatedDevice device) throws Exception {
        CiraSettings settings = device.ciraSettings().orElseThrow();
        var tls = TlsContexts.clientContext(settings.trustedRoots().get(0), TlsPolicy.CIRA, Optional.empty());
        CiraDevice d = new CiraDevice(device, new AmtWebService(device, Clock.systemUTC(), RANDOM))
                .dial(devices, tls, new InetSocketAddress(settings.mpsAddress(), settings.port()));
        dialled.add(d);
        d.connected().get(30, TimeUnit.SECONDS);
        DeviceLeases leases = new DeviceLeases(fixture.database.dataSource());
        await().atMost(Duration.ofSeconds(30)).until(() -> leases.holder(DeviceGuid.of(device.guid())).isPresent());
    }

    private static Transport overCira(SimulatedDevice device) {
        return relay.find(TENANT, DeviceGuid.of(device.guid())).orElseThrow();
    }

    @Test
    void aChangedProfileIsAppliedOverCiraAndTheDeviceHoldsIt() throws Exception {
        SimulatedDevice device = provisioned("acm");
        dial(device);
        assertThat(device.optInRequired()).isEqualTo(ActivationSteps.OPT_IN_NONE);
        // the operator changes the profile: KVM consent and a static address
        admin.putProfile(profile("acm-static", ControlMode.ACM, UserConsent.KVM,
                NetworkSettings.staticAddress("10.20.30.40", 22, "10.20.28.1", List.of("10.20.28.53"))), OPERATOR);
        DeviceGuid guid = DeviceGuid.of(device.guid());
        String ciraPassword = new String(secrets.get(guid, DeviceSecrets.Kind.CIRA_PASSWORD).orElseThrow().revealChars());

        try (var statuses = TopicWatch.open(fixture.kafka, KafkaTopics.PROVISIONING, JsonNode.class);
             var audit = TopicWatch.open(fixture.kafka, KafkaTopics.AUDIT, JsonNode.class)) {
            ProvisioningOutcome outcome = worker.reconfigure(request(device, "acm-static"), overCira(device), OPERATOR);

            assertThat(outcome.succeeded()).as(outcome.reason()).isTrue();
            assertThat(device.optInRequired()).isEqualTo(ActivationSteps.OPT_IN_KVM);
            WiredNetwork wired = device.wiredNetwork();
            assertThat(wired.dhcp()).isFalse();
            assertThat(wired.address()).hasValue("10.20.30.40");
            assertThat(new ProvisioningRuns(fixture.database.dataSource()).find(guid).orElseThrow())
                    .extracting(ProvisioningRuns.Run::profile, ProvisioningRuns.Run::state)
                    .containsExactly("acm-static", ProvisioningRuns.State.PROVISIONED);
            List<JsonNode> seen = statuses.awaitAll("statuses", s -> s.path("guid").asText().equals(guid.value()), 4);
            assertThat(seen).extracting(s -> s.path("step").asText() + ":" + s.path("state").asText()).containsExactly(
                    "accepted:pending", "reconfigure-consent:running", "reconfigure-network:running", "done:succeeded");
            JsonNode event = audit.await("profile.applied over CIRA", e -> e.path("type").asText().equals("profile.applied")
                    && e.path("target").asText().equals("device:" + guid.value())
                    && e.path("details").path("path").asText().equals("cira"));
            assertThat(event.path("outcome").asText()).isEqualToIgnoringCase("success");
        }
        // the device's passwords stayed what they were, and the relay's frames never carried them in clear
        assertThat(new String(secrets.get(guid, DeviceSecrets.Kind.CIRA_PASSWORD).orElseThrow().revealChars()))
                .isEqualTo(ciraPassword);
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(line -> line.contains(ciraPassword));
        assertThat(relay.openChannels()).isZero();
    }

    @Test
    void aRequestOnKafkaForAManagedDeviceIsAppliedOverCiraAndTheRoleDeactivatesItOverCira() throws Exception {
        SimulatedDevice device = provisioned("acm");
        dial(device);
        DeviceGuid guid = DeviceGuid.of(device.guid());
        admin.putProfile(profile("acm-kvm", ControlMode.ACM, UserConsent.KVM, NetworkSettings.dhcp()), OPERATOR);

        try (var statuses = TopicWatch.open(fixture.kafka, KafkaTopics.PROVISIONING, JsonNode.class)) {
            // the request a broker bridges from amtbus/v1/acme/provisioning/requests
            ProvisioningRequest request = request(device, "acm-kvm");
            org.apache.kafka.common.header.internals.RecordHeaders headers = new org.apache.kafka.common.header.internals.RecordHeaders();
            headers.add(org.amtbus.schemas.topic.BridgeHeaders.PRINCIPAL, "ops".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            headers.add(org.amtbus.schemas.topic.BridgeHeaders.TENANT, TENANT.value().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            fixture.producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(KafkaTopics.PROVISIONING, null,
                    TENANT.value(), org.amtbus.schemas.Json.write(request), headers));
            fixture.producer.flush();

            JsonNode done = statuses.await("succeeded", s -> s.path("requestId").asText().equals(request.id().toString())
                    && s.path("state").asText().equals("succeeded"));
            assertThat(done.path("reason").asText()).contains("over CIRA");
        }
        assertThat(device.optInRequired()).isEqualTo(ActivationSteps.OPT_IN_KVM);

        ProvisioningOutcome gone = role.deactivate(TENANT, guid, OPERATOR);

        assertThat(gone.succeeded()).as(gone.reason()).isTrue();
        assertThat(device.controlMode()).isEqualTo(SimulatedDevice.ControlMode.NONE);
        assertThat(registry.find(guid)).isEmpty();
        assertThat(fixture.secrets.list("devices/" + guid.value() + "/")).isEmpty();
    }

    @Test
    void aGatewayThatStoppedAfterTheDeviceWasFoundFailsTheRunCleanlyWithinTheOpenTimeout() throws Exception {
        // given a device held by a second gateway, found there, and then that gateway stops
        SimulatedDevice device = provisioned("ccm");
        var identity = fixture.ca.issueServer("gateway-2", List.of("localhost"), List.of(InetAddress.getLoopbackAddress()),
                Duration.ofDays(30));
        CiraGateway second;
        try (var kafkaAdmin = fixture.kafka.admin()) {
            second = CiraGateway.start(CiraGateway.Settings.defaults(new GatewayId("gw2-" + UUID.randomUUID().toString()
                            .substring(0, 8)), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), identity,
                    fixture.database.dataSource(), fixture.secrets, fixture.kafka, new Topics(kafkaAdmin, Topics.Settings.embedded()),
                    fixture.audit, new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), Clock.systemUTC());
        }
        CiraSettings settings = device.ciraSettings().orElseThrow();
        CiraDevice d = new CiraDevice(device, new AmtWebService(device, Clock.systemUTC(), RANDOM)).dial(devices,
                TlsContexts.clientContext(settings.trustedRoots().get(0), TlsPolicy.CIRA, Optional.empty()),
                new InetSocketAddress(settings.mpsAddress(), second.port()));
        dialled.add(d);
        d.connected().get(30, TimeUnit.SECONDS);
        DeviceGuid guid = DeviceGuid.of(device.guid());
        await().atMost(Duration.ofSeconds(30)).until(() -> relay.find(TENANT, guid).isPresent());
        Transport path = overCira(device);
        second.close();

        // when a reconfiguration goes that way, then it fails at once with the reason, and the device stays managed
        long started = System.nanoTime();
        ProvisioningOutcome outcome = worker.reconfigure(request(device, "ccm"), path, OPERATOR);

        assertThat(outcome.result()).isEqualTo(ProvisioningOutcome.Result.FAILED);
        assertThat(outcome.reason()).as(outcome.reason()).contains("did not open a channel");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(25));
        assertThat(registry.find(guid)).isPresent();
        assertThat(relay.openChannels()).isZero();
    }

    @Test
    void aProfileOfAnotherControlModeIsRefusedUnchanged() throws Exception {
        SimulatedDevice device = provisioned("ccm");
        dial(device);

        ProvisioningOutcome outcome = worker.reconfigure(request(device, "acm"), overCira(device), OPERATOR);

        assertThat(outcome.result()).isEqualTo(ProvisioningOutcome.Result.REFUSED);
        assertThat(outcome.reason()).contains("deactivate it first");
        assertThat(new ProvisioningRuns(fixture.database.dataSource()).find(DeviceGuid.of(device.guid())).orElseThrow().profile())
                .isEqualTo("ccm");
    }

    @Test
    void aRunWhoseWorkerDiedAfterCiraIsRolledBackOverCiraWhenNoAgentIsThere() throws Exception {
        // given a device that got as far as dialling in over CIRA, whose worker then died (no heartbeat) and
        // whose agent is gone
        SimulatedDevice device = provisioned("acm");
        dial(device);
        DeviceGuid guid = DeviceGuid.of(device.guid());
        try (var c = fixture.database.dataSource().getConnection();
             var st = c.prepareStatement("UPDATE provisioning_runs SET state = 'running', step = 'cira', worker = 'dead-worker',"
                     + " heartbeat_at = now() - interval '1 hour' WHERE guid = ?")) {
            st.setObject(1, guid.toUuid());
            assertThat(st.executeUpdate()).isEqualTo(1);
        }

        // when a live worker sweeps for stale runs
        StaleRuns sweeper = new StaleRuns(worker, new ProvisioningRuns(fixture.database.dataSource()),
                new DevicePaths(DeviceChannels.NONE, Optional.of(relay)), Duration.ofSeconds(60));
        assertThat(sweeper.sweep()).isGreaterThanOrEqualTo(1);

        // then it unprovisioned the device through its gateway and removed what the run had created
        assertThat(device.controlMode()).isEqualTo(SimulatedDevice.ControlMode.NONE);
        assertThat(registry.find(guid)).isEmpty();
        assertThat(fixture.secrets.list("devices/" + guid.value() + "/")).isEmpty();
        assertThat(new ProvisioningRuns(fixture.database.dataSource()).find(guid)).isEmpty();
        assertThat(relay.openChannels()).as("the recovery closed its channels").isZero();
    }

    @Test
    void deactivationOverCiraUnprovisionsTheDeviceAndRemovesItsSecretsAndRegistration() throws Exception {
        SimulatedDevice device = provisioned("acm");
        dial(device);
        DeviceGuid guid = DeviceGuid.of(device.guid());

        ProvisioningOutcome outcome = worker.deactivate(TENANT, guid, overCira(device), OPERATOR);

        assertThat(outcome.succeeded()).as(outcome.reason()).isTrue();
        assertThat(device.controlMode()).isEqualTo(SimulatedDevice.ControlMode.NONE);
        assertThat(device.optInRequired()).isEqualTo(ActivationSteps.OPT_IN_ALL);
        assertThat(fixture.secrets.list("devices/" + guid.value() + "/")).isEmpty();
        assertThat(registry.find(guid)).isEmpty();
        assertThat(new ProvisioningRuns(fixture.database.dataSource()).find(guid)).isEmpty();
    }

    @Test
    void aDeviceThatIsNotConnectedHasNoPathAndOneThatLeftFailsCleanly() throws Exception {
        SimulatedDevice absent = provisioned("acm");
        DeviceGuid absentGuid = DeviceGuid.of(absent.guid());
        assertThat(relay.find(TENANT, absentGuid)).isEmpty();
        ProvisioningOutcome notDeactivated = worker.deactivate(TENANT, absentGuid, relay.find(TENANT, absentGuid), OPERATOR);
        assertThat(notDeactivated.result()).isEqualTo(ProvisioningOutcome.Result.FAILED);
        assertThat(notDeactivated.reason()).contains("connected neither over CIRA nor through an agent");
        assertThat(registry.find(absentGuid)).isPresent();
        assertThat(secrets.get(absentGuid, DeviceSecrets.Kind.AMT_ADMIN_PASSWORD)).isPresent();
        assertThat(absent.controlMode()).isEqualTo(SimulatedDevice.ControlMode.ACM);

        // a device whose connection ends after it was found: the gateway refuses the channel, the run fails cleanly
        SimulatedDevice leaving = provisioned("acm");
        dial(leaving);
        Transport path = overCira(leaving);
        dialled.forEach(CiraDevice::vanish);
        await().atMost(Duration.ofSeconds(30)).until(() -> gateway.connectedDevices() == 0);

        ProvisioningOutcome outcome = worker.reconfigure(request(leaving, "acm"), path, OPERATOR);

        assertThat(outcome.result()).isEqualTo(ProvisioningOutcome.Result.FAILED);
        assertThat(outcome.reason()).as(outcome.reason()).contains("not connected to gateway");
        DeviceGuid guid = DeviceGuid.of(leaving.guid());
        assertThat(registry.find(guid)).as("a failed reconfiguration leaves the managed device registered").isPresent();
        assertThat(new ProvisioningRuns(fixture.database.dataSource()).find(guid).orElseThrow())
                .extracting(ProvisioningRuns.Run::profile, ProvisioningRuns.Run::state)
                .containsExactly("acm", ProvisioningRuns.State.PROVISIONED);
        // other tenants do not see it
        assertThat(relay.find(new TenantId("other"), guid)).isEmpty();
    }
}
