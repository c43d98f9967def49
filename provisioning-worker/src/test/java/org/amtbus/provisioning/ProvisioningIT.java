package org.amtbus.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.amtbus.gateway.CiraGateway;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.platform.db.Database;
import org.amtbus.platform.device.DeviceLeases;
import org.amtbus.platform.device.DeviceRegistry;
import org.amtbus.platform.device.DeviceSecrets;
import org.amtbus.platform.kafka.KafkaClients;
import org.amtbus.platform.kafka.Topics;
import org.amtbus.platform.secret.Passwords;
import org.amtbus.platform.secret.SealedFileSecretStore;
import org.amtbus.platform.secret.Secret;
import org.amtbus.platform.testing.SharedKafka;
import org.amtbus.platform.testing.SharedPostgres;
import org.amtbus.platform.testing.TestDirectories;
import org.amtbus.platform.testing.TopicWatch;
import org.amtbus.platform.tls.CertificateAuthority;
import org.amtbus.platform.tls.TlsContexts;
import org.amtbus.platform.tls.TlsPolicy;
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
import org.amtbus.schemas.model.Command;
import org.amtbus.schemas.model.CommandAction;
import org.amtbus.schemas.model.CommandResult;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.GatewayId;
import org.amtbus.schemas.model.ProvisioningRequest;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.KafkaTopics;
import org.amtbus.sim.amt.AmtWebService;
import org.amtbus.sim.amt.CiraSettings;
import org.amtbus.sim.amt.InMemoryTransport;
import org.amtbus.sim.amt.ProvisioningPki;
import org.amtbus.sim.amt.ProvisioningRefusal;
import org.amtbus.sim.amt.SimulatedDevice;
import org.amtbus.sim.cira.CiraDevice;
import org.amtbus.wsman.activation.ActivationSteps;
import org.amtbus.wsman.activation.WiredNetwork;
import org.amtbus.wsman.client.Transport;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The worker with real parts: PostgreSQL, the sealed secret store, Kafka (statuses, audit, gateway
 * commands), the device simulator over its local (agent) session, and a real CIRA gateway over TLS the
 * provisioned machine dials with what CIRA configuration told it.
 */
class ProvisioningIT {

    private static final TenantId TENANT = new TenantId("acme");
    private static final String SUFFIX = "corp.example";
    private static final char[] PFX_PASSWORD = "Pfx-Pa55word!".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Requests applied in parallel; the role bounds it likewise (the database pool is small). */
    private static final int PARALLEL = 6;
    private static final AuditEvent.Actor OPERATOR = AuditEvent.Actor.user("alice");

    private static Path dir;
    private static Database database;
    private static SealedFileSecretStore secretStore;
    private static DeviceSecrets secrets;
    private static DeviceRegistry registry;
    private static KafkaClients kafka;
    private static Producer<String, byte[]> producer;
    private static CertificateAuthority ca;
    private static CiraGateway gateway;
    private static GatewayId gatewayId;
    private static EventLoopGroup devices;
    private static ProvisioningWorker worker;
    private static ProfileAdmin admin;
    private static ProvisioningPki pki;
    private static ListAppender<ILoggingEvent> logs;
    private final List<CiraDevice> dialled = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        logs = new ListAppender<>();
        logs.start();
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME).addAppender(logs);
        dir = TestDirectories.newTemporary("amtbus-provisioning-");
        database = SharedPostgres.newDatabase().migrated();
        secretStore = SealedFileSecretStore.open(dir.resolve("secrets"));
        secrets = new DeviceSecrets(secretStore);
        registry = new DeviceRegistry(database.dataSource());
        kafka = SharedKafka.clients();
        producer = kafka.producer("test");
        ca = CertificateAuthority.loadOrCreate(dir.resolve("ca"), Clock.systemUTC());
        var identity = ca.issueServer("gateway", List.of("localhost"), List.of(InetAddress.getLoopbackAddress()),
                Duration.ofDays(30));
        gatewayId = new GatewayId("gw-" + UUID.randomUUID().toString().substring(0, 8));
        AuditLog audit = new AuditLog(producer, Clock.systemUTC(), "provisioning-it");
        try (var kafkaAdmin = kafka.admin()) {
            Topics topics = new Topics(kafkaAdmin, Topics.Settings.embedded());
            topics.createAll();
            gateway = CiraGateway.start(CiraGateway.Settings.defaults(gatewayId,
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), identity, database.dataSource(),
                    secretStore, kafka, topics, audit, new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
                    Clock.systemUTC());
        }
        devices = new NioEventLoopGroup(2);
        ProfileStore profiles = new ProfileStore(database.dataSource());
        DomainStore domains = new DomainStore(database.dataSource(), secretStore);
        admin = new ProfileAdmin(profiles, domains, audit);
        worker = new ProvisioningWorker(profiles, domains, new ProvisioningRuns(database.dataSource()), registry, secrets,
                new StatusPublisher(producer, Clock.systemUTC()), audit, ca.certificate(), Clock.systemUTC());

        pki = new ProvisioningPki("amt-prov." + SUFFIX);
        admin.putDomain("corp", TENANT, SUFFIX, pki.pfx(PFX_PASSWORD), PFX_PASSWORD.clone(), OPERATOR);
        admin.putProfile(profile("office-ccm", ControlMode.CCM), OPERATOR);
        admin.putProfile(profile("office-acm", ControlMode.ACM), OPERATOR);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (devices != null) {
            devices.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        producer.close();
        secretStore.close();
        database.close();
        TestDirectories.deleteRecursively(dir);
    }

    @AfterEach
    void hangUp() {
        dialled.forEach(CiraDevice::vanish);
    }

    private static Profile profile(String name, ControlMode mode) {
        return new Profile(name, TENANT, mode, CiraPolicy.defaults("127.0.0.1", gateway.port()),
                mode == ControlMode.ACM ? UserConsent.NONE : UserConsent.ALL, NetworkSettings.dhcp(), List.of("office", "sim"));
    }

    /** A machine fresh from the factory with its local web service (the agent's side). */
    private record Machine(SimulatedDevice device, AmtWebService web) {
        DeviceGuid guid() {
            return DeviceGuid.of(device.guid());
        }

        InMemoryTransport agent() {
            return InMemoryTransport.local(web);
        }
    }

    private static Machine machine(String dnsSuffix, String trustedRootHash) {
        SimulatedDevice device = SimulatedDevice.preProvisioned(UUID.randomUUID(), dnsSuffix, List.of(trustedRootHash), RANDOM);
        return new Machine(device, new AmtWebService(device, Clock.systemUTC(), RANDOM));
    }

    private static Machine machine() {
        return machine(SUFFIX, pki.rootSha256());
    }

    private static ProvisioningRequest request(Machine m, String profile) {
        return new ProvisioningRequest(UUID.randomUUID(), TENANT, m.guid(), profile, Instant.now());
    }

    private static ProvisioningOutcome provision(Machine m, String profile, DeviceReport report) {
        return worker.provision(request(m, profile), report, m.agent(), OPERATOR);
    }

    private static DeviceReport report(Machine m) {
        return new DeviceReport(m.device().dnsSuffix(), m.device().trustedRootHashes());
    }

    /** Dials the gateway as CIRA configuration told the machine, and waits for its lease. */
    private CiraDevice dialAsConfigured(Machine m) throws Exception {
        CiraSettings settings = m.device().ciraSettings().orElseThrow();
        var tls = TlsContexts.clientContext(settings.trustedRoots().get(0), TlsPolicy.CIRA, Optional.empty());
        CiraDevice d = new CiraDevice(m.device(), new AmtWebService(m.device(), Clock.systemUTC(), RANDOM))
                .dial(devices, tls, new InetSocketAddress(settings.mpsAddress(), settings.port()));
        dialled.add(d);
        d.connected().get(30, TimeUnit.SECONDS);
        DeviceLeases leases = new DeviceLeases(database.dataSource());
        await().atMost(Duration.ofSeconds(30)).until(() -> leases.holder(m.guid()).isPresent());
        return d;
    }

    private static CommandResult powerState(Machine m) {
        try (var results = TopicWatch.open(kafka, KafkaTopics.GATEWAY_RESULTS, CommandResult.class)) {
            Command command = new Command(UUID.randomUUID(), TENANT, m.guid(), CommandAction.POWER_STATE, 60, null, Instant.now());
            producer.send(new ProducerRecord<>(KafkaTopics.gateway(gatewayId), command.guid().value(), Json.write(command)));
            producer.flush();
            return results.await("power.state result", r -> r.commandId().equals(command.id()));
        }
    }

    private static void assertNothingLeftBehind(Machine m) {
        assertThat(secretStore.list("devices/" + m.guid().value() + "/")).isEmpty();
        assertThat(registry.find(m.guid())).isEmpty();
        assertThat(new ProvisioningRuns(database.dataSource()).find(m.guid())).isEmpty();
    }

    private static String reveal(Secret s) {
        return new String(s.revealChars());
    }

    @Test
    void aCcmProfileTakesAMachineFromPreProvisionedToConnectedOverCira() throws Exception {
        Machine m = machine();
        try (var statuses = TopicWatch.open(kafka, KafkaTopics.PROVISIONING, JsonNode.class)) {
            ProvisioningOutcome outcome = provision(m, "office-ccm", report(m));

            assertThat(outcome.succeeded()).as(outcome.reason()).isTrue();
            assertThat(m.device().controlMode()).isEqualTo(SimulatedDevice.ControlMode.CCM);
            List<JsonNode> seen = statuses.awaitAll("statuses", s -> s.path("guid").asText().equals(m.guid().value()), 6);
            assertThat(seen).extracting(s -> s.path("step").asText() + ":" + s.path("state").asText())
                    .containsExactly("accepted:pending", "secrets:running", "activate:running", "network:running", "cira:running",
                            "done:succeeded");
        }
        // CCM keeps firmware's consent for everything; the profile's DHCP is what the wired port was told
        assertThat(m.device().optInRequired()).isEqualTo(ActivationSteps.OPT_IN_ALL);
        assertThat(m.device().wiredNetwork()).isEqualTo(WiredNetwork.dhcpNetwork());
        assertThat(secrets.get(m.guid(), DeviceSecrets.Kind.MEBX_PASSWORD)).isEmpty();
        assertThat(registry.find(m.guid()).orElseThrow().tags()).containsExactly("office", "sim");
        CiraSettings cira = m.device().ciraSettings().orElseThrow();
        assertThat(cira.trustedRoots()).containsExactly(ca.certificate());
        assertThat(cira.username()).isEqualTo(registry.find(m.guid()).orElseThrow().ciraUsername());
        assertThat(cira.periodicIntervalSeconds()).isEqualTo(25);
        assertThat(cira.userInitiatedEnabled()).isTrue();

        dialAsConfigured(m);
        CommandResult result = powerState(m);
        assertThat(result.status()).as(String.valueOf(result.reason())).isEqualTo(CommandResult.Status.SUCCEEDED);
        assertThat(result.output()).containsEntry("powerState", "on");
    }

    @Test
    void anAcmProfileActivatesWithTheDomainsCertificateSetsMebxAndConnects() throws Exception {
        Machine m = machine();
        ProvisioningOutcome outcome = provision(m, "office-acm", report(m));

        assertThat(outcome.succeeded()).as(outcome.reason()).isTrue();
        assertThat(m.device().controlMode()).isEqualTo(SimulatedDevice.ControlMode.ACM);
        assertThat(m.device().hasMebxPassword()).isTrue();
        assertThat(secrets.get(m.guid(), DeviceSecrets.Kind.MEBX_PASSWORD)).isPresent();
        assertThat(m.device().optInRequired()).as("the profile's consent: none").isEqualTo(ActivationSteps.OPT_IN_NONE);
        dialAsConfigured(m);
        assertThat(powerState(m).status()).isEqualTo(CommandResult.Status.SUCCEEDED);
    }

    @Test
    void anAcmProfileAppliesItsUserConsentAndStaticNetworkAndDeactivationResetsThem() {
        // given a profile with KVM consent and a static address
        admin.putProfile(new Profile("office-static", TENANT, ControlMode.ACM, CiraPolicy.defaults("127.0.0.1", gateway.port()),
                UserConsent.KVM, NetworkSettings.staticAddress("10.20.30.40", 22, "10.20.28.1", List.of("10.20.28.53", "10.20.28.54")),
                List.of()), OPERATOR);
        Machine m = machine();
        try (var statuses = TopicWatch.open(kafka, KafkaTopics.PROVISIONING, JsonNode.class)) {
            // when it is applied
            ProvisioningOutcome outcome = provision(m, "office-static", report(m));

            // then the device holds them, set in their own steps between MEBx and CIRA
            assertThat(outcome.succeeded()).as(outcome.reason()).isTrue();
            assertThat(m.device().optInRequired()).isEqualTo(ActivationSteps.OPT_IN_KVM);
            WiredNetwork wired = m.device().wiredNetwork();
            assertThat(wired.dhcp()).isFalse();
            assertThat(wired.address()).hasValue("10.20.30.40");
            assertThat(wired.subnetMask()).hasValue("255.255.252.0");
            assertThat(wired.gateway()).hasValue("10.20.28.1");
            assertThat(wired.dnsServers()).containsExactly("10.20.28.53", "10.20.28.54");
            List<JsonNode> seen = statuses.awaitAll("statuses", s -> s.path("guid").asText().equals(m.guid().value()), 8);
            assertThat(seen).extracting(s -> s.path("step").asText()).containsExactly("accepted", "secrets", "activate", "mebx",
                    "consent", "network", "cira", "done");
        }
        // and deactivation (Unprovision) returns them to firmware's defaults
        assertThat(worker.deactivate(TENANT, m.guid(), m.agent(), OPERATOR).succeeded()).isTrue();
        assertThat(m.device().optInRequired()).isEqualTo(ActivationSteps.OPT_IN_ALL);
        assertThat(m.device().wiredNetwork().dhcp()).isTrue();
        assertNothingLeftBehind(m);
    }

    @Test
    void aDeviceWhoseDnsSuffixDoesNotMatchTheCertificateRefusesAcmAndNothingIsLeft() {
        // the agent reports the domain's suffix, but the firmware's own suffix is another one
        Machine m = machine("elsewhere.example", pki.rootSha256());
        try (var audit = TopicWatch.open(kafka, KafkaTopics.AUDIT, AuditEvent.class)) {
            ProvisioningOutcome outcome = provision(m, "office-acm", new DeviceReport(SUFFIX, Set.of(pki.rootSha256())));

            assertThat(outcome.result()).isEqualTo(ProvisioningOutcome.Result.FAILED);
            assertThat(outcome.step()).isEqualTo("activate");
            assertThat(outcome.reason()).contains("AdminSetup returned 5");
            assertThat(m.device().lastRefusal()).contains(ProvisioningRefusal.DNS_SUFFIX_MISMATCH);
            assertThat(m.device().controlMode()).isEqualTo(SimulatedDevice.ControlMode.NONE);
            assertNothingLeftBehind(m);
            AuditEvent applied = audit.await("profile.applied", e -> e.type().equals("profile.applied")
                    && e.target().equals("device:" + m.guid().value()));
            assertThat(applied.outcome()).isEqualTo(AuditEvent.Outcome.FAILURE);
            assertThat(applied.details()).containsEntry("step", "activate");
        }
    }

    @Test
    void noDomainForTheReportedSuffixIsRefusedBeforeAnythingIsMade() {
        Machine m = machine("elsewhere.example", pki.rootSha256());
        ProvisioningOutcome outcome = provision(m, "office-acm", report(m));

        assertThat(outcome.result()).isEqualTo(ProvisioningOutcome.Result.REFUSED);
        assertThat(outcome.reason()).isEqualTo("tenant acme has no domain for DNS suffix elsewhere.example");
        assertNothingLeftBehind(m);
    }

    @Test
    void aRootTheDeviceDoesNotTrustIsRefusedByTheWorker() {
        Machine m = machine(SUFFIX, "ab".repeat(32));
        ProvisioningOutcome outcome = provision(m, "office-acm", report(m));

        assertThat(outcome.result()).isEqualTo(ProvisioningOutcome.Result.REFUSED);
        assertThat(outcome.step()).isEqualTo("certificate");
        assertThat(outcome.reason()).contains("is not among the device's trusted root hashes");
        assertThat(m.device().controlMode()).isEqualTo(SimulatedDevice.ControlMode.NONE);
        assertNothingLeftBehind(m);
    }

    @Test
    void aRootTheFirmwareDoesNotTrustIsRefusedByTheDeviceAndRolledBack() {
        // the agent's report claims the root is trusted; the firmware knows better
        Machine m = machine(SUFFIX, "ab".repeat(32));
        ProvisioningOutcome outcome = provision(m, "office-acm", new DeviceReport(SUFFIX, Set.of(pki.rootSha256())));

        assertThat(outcome.result()).isEqualTo(ProvisioningOutcome.Result.FAILED);
        assertThat(outcome.reason()).contains("AddNextCertInChain returned 4");
        assertThat(m.device().lastRefusal()).contains(ProvisioningRefusal.UNKNOWN_ROOT);
        assertNothingLeftBehind(m);
    }

    @Test
    void anUnknownProfileIsRefused() {
        Machine m = machine();
        ProvisioningOutcome outcome = provision(m, "no-such-profile", report(m));
        assertThat(outcome.result()).isEqualTo(ProvisioningOutcome.Result.REFUSED);
        assertThat(outcome.reason()).isEqualTo("tenant acme has no profile no-such-profile");
        assertNothingLeftBehind(m);
    }

    @Test
    void aDeviceThatRefusesTheNetworkSettingsIsRolledBackLikeAnyOtherStep() {
        // given a relay that spoils the subnet mask on its way (same length, so the HTTP framing holds)
        admin.putProfile(new Profile("office-static-2", TENANT, ControlMode.ACM, CiraPolicy.defaults("127.0.0.1", gateway.port()),
                UserConsent.KVM, NetworkSettings.staticAddress("10.20.30.40", 22, null, List.of()), List.of()), OPERATOR);
        Machine m = machine();
        Transport spoilsTheMask = () -> {
            Transport.Connection c = m.agent().open();
            return new Transport.Connection() {
                @Override
                public void send(byte[] data) throws IOException {
                    c.send(new String(data, StandardCharsets.ISO_8859_1).replace("255.255.252.0", "255.255.252.9")
                            .getBytes(StandardCharsets.ISO_8859_1));
                }

                @Override
                public byte[] receive(Duration timeout) throws IOException, TimeoutException, InterruptedException {
                    return c.receive(timeout);
                }

                @Override
                public void close() {
                    c.close();
                }
            };
        };
        try (var statuses = TopicWatch.open(kafka, KafkaTopics.PROVISIONING, JsonNode.class)) {
            // when it is applied
            ProvisioningOutcome outcome = worker.provision(request(m, "office-static-2"), report(m), spoilsTheMask, OPERATOR);

            // then the network step fails with the device's answer and everything made before it is undone
            assertThat(outcome.result()).isEqualTo(ProvisioningOutcome.Result.FAILED);
            assertThat(outcome.step()).isEqualTo("network");
            assertThat(outcome.reason()).contains("AMT_EthernetPortSettings");
            JsonNode rolledBack = statuses.await("rolled back", s -> s.path("guid").asText().equals(m.guid().value())
                    && s.path("state").asText().equals("rolled-back"));
            assertThat(rolledBack.path("reason").asText()).contains("activation").contains("registration and secrets");
        }
        assertThat(m.device().controlMode()).isEqualTo(SimulatedDevice.ControlMode.NONE);
        assertThat(m.device().optInRequired()).isEqualTo(ActivationSteps.OPT_IN_ALL);
        assertThat(m.device().wiredNetwork()).isEqualTo(WiredNetwork.dhcpNetwork());
        assertNothingLeftBehind(m);
    }

    @Test
    void aRelayThatBreaksDuringCiraConfigurationLeavesTheDeviceUnprovisionedAndNothingStored() {
        Machine m = machine();
        Transport breaksAtAddMpServer = new Transport() {
            @Override
            public Connection open() throws IOException {
                Connection c = m.agent().open();
                return new Connection() {
                    @Override
                    public void send(byte[] data) throws IOException {
                        if (new String(data, StandardCharsets.UTF_8).contains("AddMpServer")) {
                            throw new IOException("relay lost");
                        }
                        c.send(data);
                    }

                    @Override
                    public byte[] receive(Duration timeout) throws IOException, TimeoutException, InterruptedException {
                        return c.receive(timeout);
                    }

                    @Override
                    public void close() {
                        c.close();
                    }
                };
            }
        };
        try (var statuses = TopicWatch.open(kafka, KafkaTopics.PROVISIONING, JsonNode.class)) {
            ProvisioningOutcome outcome = worker.provision(request(m, "office-acm"), report(m), breaksAtAddMpServer, OPERATOR);

            assertThat(outcome.result()).isEqualTo(ProvisioningOutcome.Result.FAILED);
            assertThat(outcome.step()).isEqualTo("cira");
            assertThat(m.device().controlMode()).isEqualTo(SimulatedDevice.ControlMode.NONE);
            assertThat(m.device().hasMebxPassword()).isFalse();
            assertNothingLeftBehind(m);
            JsonNode rolledBack = statuses.await("rolled-back", s -> s.path("guid").asText().equals(m.guid().value())
                    && s.path("state").asText().equals("rolled-back"));
            assertThat(rolledBack.path("reason").asText()).isEqualTo("undone: activation, registration and secrets, run");
        }
    }

    @Test
    void aRepeatedRequestIsAnsweredWithoutRedoingAndDeactivationRemovesEverything() {
        Machine m = machine();
        assertThat(provision(m, "office-ccm", report(m)).succeeded()).isTrue();
        String adminPassword = reveal(secrets.get(m.guid(), DeviceSecrets.Kind.AMT_ADMIN_PASSWORD).orElseThrow());

        ProvisioningOutcome again = provision(m, "office-ccm", report(m));
        assertThat(again.succeeded()).isTrue();
        assertThat(again.alreadyDone()).isTrue();
        assertThat(reveal(secrets.get(m.guid(), DeviceSecrets.Kind.AMT_ADMIN_PASSWORD).orElseThrow())).isEqualTo(adminPassword);

        ProvisioningOutcome other = provision(m, "office-acm", report(m));
        assertThat(other.result()).isEqualTo(ProvisioningOutcome.Result.REFUSED);
        assertThat(other.reason()).isEqualTo("device is provisioned with profile office-ccm; deactivate it before applying office-acm");

        ProvisioningOutcome gone = worker.deactivate(TENANT, m.guid(), m.agent(), OPERATOR);
        assertThat(gone.succeeded()).as(gone.reason()).isTrue();
        assertThat(m.device().controlMode()).isEqualTo(SimulatedDevice.ControlMode.NONE);
        assertNothingLeftBehind(m);
        // and it can be provisioned again, with new passwords
        assertThat(provision(m, "office-ccm", report(m)).succeeded()).isTrue();
        assertThat(reveal(secrets.get(m.guid(), DeviceSecrets.Kind.AMT_ADMIN_PASSWORD).orElseThrow())).isNotEqualTo(adminPassword);
    }

    @Test
    void aRequestWhileAnotherRunsForTheDeviceIsRefused() {
        Machine m = machine();
        ProvisioningRuns runs = new ProvisioningRuns(database.dataSource());
        UUID first = UUID.randomUUID();
        runs.claim(new ProvisioningRuns.Run(m.guid(), TENANT, "office-ccm", ProvisioningRuns.State.RUNNING, first, ControlMode.CCM), "another-worker");

        ProvisioningOutcome outcome = provision(m, "office-ccm", report(m));
        assertThat(outcome.result()).isEqualTo(ProvisioningOutcome.Result.REFUSED);
        assertThat(outcome.reason()).isEqualTo("a provisioning request for this device is in progress (request " + first
                + ", profile office-ccm)");
        assertThat(m.device().controlMode()).isEqualTo(SimulatedDevice.ControlMode.NONE);
        assertThat(runs.find(m.guid()).orElseThrow().requestId()).isEqualTo(first);
        runs.release(m.guid());
    }

    @Test
    void aHundredMachinesAtOnceGetDistinctPasswordsThatAppearNowhere() throws Exception {
        int n = 100;
        List<Machine> machines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            machines.add(machine());
        }
        try (var provisioning = TopicWatch.open(kafka, KafkaTopics.PROVISIONING, JsonNode.class);
             var audit = TopicWatch.open(kafka, KafkaTopics.AUDIT, JsonNode.class);
             ExecutorService pool = Executors.newFixedThreadPool(PARALLEL)) {
            List<Future<ProvisioningOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Machine m = machines.get(i);
                outcomes.add(pool.submit(() -> provision(m, i(m) % 2 == 0 ? "office-ccm" : "office-acm", report(m))));
            }
            for (Future<ProvisioningOutcome> f : outcomes) {
                ProvisioningOutcome o = f.get(5, TimeUnit.MINUTES);
                assertThat(o.succeeded()).as(o.reason()).isTrue();
            }
            List<String> passwords = new ArrayList<>();
            for (Machine m : machines) {
                for (DeviceSecrets.Kind kind : DeviceSecrets.Kind.values()) {
                    secrets.get(m.guid(), kind).ifPresent(s -> passwords.add(reveal(s)));
                }
            }
            assertThat(passwords).hasSizeGreaterThanOrEqualTo(2 * n);
            assertThat(new HashSet<>(passwords)).hasSameSizeAs(passwords);
            assertThat(passwords).allMatch(p -> Passwords.meetsAmtRule(p.toCharArray()), "meets AMT's rule");

            Set<String> ours = new HashSet<>();
            machines.forEach(m -> ours.add(m.guid().value()));
            List<String> statuses = provisioning.awaitAll("terminal statuses",
                    s -> ours.contains(s.path("guid").asText()) && s.path("state").asText().equals("succeeded"), n)
                    .stream().map(JsonNode::toString).toList();
            List<String> events = audit.awaitAll("profile.applied", e -> e.path("type").asText().equals("profile.applied")
                    && ours.contains(e.path("target").asText().substring("device:".length())), n)
                    .stream().map(JsonNode::toString).toList();
            List<String> allAudit = audit.seen(e -> true).stream().map(JsonNode::toString).toList();
            List<String> allStatuses = provisioning.seen(s -> true).stream().map(JsonNode::toString).toList();
            List<String> lines = Collections.synchronizedList(new ArrayList<>());
            for (ILoggingEvent e : List.copyOf(logs.list)) {
                lines.add(e.getFormattedMessage());
                if (e.getThrowableProxy() != null) {
                    lines.add(ThrowableProxyUtil.asString(e.getThrowableProxy()));
                }
            }
            assertThat(statuses).hasSize(n);
            assertThat(events).hasSize(n);
            for (String p : passwords) {
                assertThat(allStatuses).noneMatch(s -> s.contains(p));
                assertThat(allAudit).noneMatch(s -> s.contains(p));
                assertThat(lines).noneMatch(s -> s.contains(p));
            }
            assertThat(lines).noneMatch(s -> s.contains(new String(PFX_PASSWORD)));
            assertThat(allAudit).noneMatch(s -> s.contains(new String(PFX_PASSWORD)));
        }
    }

    private static int i(Machine m) {
        return m.device().guid().hashCode();
    }
}
