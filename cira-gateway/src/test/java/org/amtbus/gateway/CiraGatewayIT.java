package org.amtbus.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.amtbus.gateway.cira.CiraServer;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.platform.db.Database;
import org.amtbus.platform.device.Device;
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
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.Command;
import org.amtbus.schemas.model.CommandAction;
import org.amtbus.schemas.model.CommandResult;
import org.amtbus.schemas.model.DeviceEvent;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.GatewayId;
import org.amtbus.schemas.model.Presence;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.KafkaTopics;
import org.amtbus.sim.amt.AmtWebService;
import org.amtbus.sim.amt.SimulatedDevice;
import org.amtbus.sim.cira.CiraDevice;
import org.amtbus.sim.cira.CiraMisbehaviour;
import org.amtbus.wsman.digest.Password;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The gateway with real parts: TLS sockets, APF from the device simulator, PostgreSQL leases, the sealed
 * secret store and Kafka for commands, results, presence and audit.
 */
class CiraGatewayIT {

    /** Enough for every test's devices on loopback; the cap test opens more. */
    private static final int MAX_PER_ADDRESS = 40;

    private static final TenantId TENANT = new TenantId("acme");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static Path dir;
    private static Database database;
    private static SealedFileSecretStore secrets;
    private static KafkaClients kafka;
    private static Producer<String, byte[]> producer;
    private static CiraGateway gateway;
    private static GatewayId gatewayId;
    private static SslContext deviceTls;
    private static CertificateAuthority ca;
    private static EventLoopGroup devices;
    private static DeviceLeases leases;
    private static SimpleMeterRegistry metrics;
    private final List<CiraDevice> dialled = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        dir = TestDirectories.newTemporary("amtbus-gateway-");
        database = SharedPostgres.newDatabase().migrated();
        secrets = SealedFileSecretStore.open(dir.resolve("secrets"));
        kafka = SharedKafka.clients();
        producer = kafka.producer("test");
        ca = CertificateAuthority.loadOrCreate(dir.resolve("ca"), Clock.systemUTC());
        var identity = ca.issueServer("gateway", List.of("localhost"), List.of(InetAddress.getLoopbackAddress()),
                Duration.ofDays(30));
        deviceTls = TlsContexts.clientContext(ca.certificate(), TlsPolicy.CIRA, Optional.empty());
        gatewayId = new GatewayId("gw-" + UUID.randomUUID().toString().substring(0, 8));
        metrics = new SimpleMeterRegistry();
        try (var admin = kafka.admin()) {
            Topics topics = new Topics(admin, Topics.Settings.embedded());
            topics.createAll();
            CiraGateway.Settings settings = CiraGateway.Settings.defaults(gatewayId,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            var limits = settings.limits();
            settings = new CiraGateway.Settings(settings.id(), settings.address(), settings.leaseTime(),
                    new CiraServer.Limits(Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(3),
                            limits.maxConnections(), MAX_PER_ADDRESS, limits.backlog()),
                    settings.channelTimeout(), Duration.ofSeconds(10), settings.session(), settings.tlsProvider());
            gateway = CiraGateway.start(settings, identity, database.dataSource(), secrets, kafka, topics,
                    new AuditLog(producer, Clock.systemUTC(), "gateway-it"), metrics, Clock.systemUTC());
        }
        leases = new DeviceLeases(database.dataSource());
        devices = new NioEventLoopGroup(2);
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
        secrets.close();
        database.close();
        TestDirectories.deleteRecursively(dir);
    }

    @AfterEach
    void hangUp() {
        dialled.forEach(CiraDevice::vanish);
    }

    /** A simulated machine, registered with fresh random credentials. */
    private static SimulatedDevice registeredDevice() {
        return registeredDevice(2);
    }

    /** @param powerState the DMTF power state it starts in: 2 on, 8 off */
    private static SimulatedDevice registeredDevice(int powerState) {
        DeviceGuid guid = DeviceGuid.of(UUID.randomUUID());
        Secret cira = Passwords.amtPassword();
        Secret admin = Passwords.amtPassword();
        new DeviceRegistry(database.dataSource()).add(new Device(guid, TENANT, Device.defaultCiraUsername(guid),
                Optional.empty(), List.of("sim"), Instant.now()));
        DeviceSecrets store = new DeviceSecrets(secrets);
        store.put(guid, DeviceSecrets.Kind.CIRA_PASSWORD, cira);
        store.put(guid, DeviceSecrets.Kind.AMT_ADMIN_PASSWORD, admin);
        SimulatedDevice device = SimulatedDevice.create(guid.toUuid(), Password.of(admin.revealChars()),
                Password.of(cira.revealChars()), RANDOM);
        return new SimulatedDevice(device.guid(), device.adminPassword(), Device.defaultCiraUsername(guid),
                device.ciraPassword(), device.amtVersion(), device.controlMode(), powerState, device.realm(),
                device.hostName(), device.domainName());
    }

    private CiraDevice dial(SimulatedDevice device, CiraMisbehaviour... faults) {
        CiraDevice d = new CiraDevice(device, new AmtWebService(device, Clock.systemUTC(), RANDOM), CiraDevice.FIRMWARE_PORTS,
                faults.length == 0 ? Set.of() : EnumSet.of(faults[0], faults)).dial(devices, deviceTls,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), gateway.port()));
        dialled.add(d);
        return d;
    }

    private static CiraDevice connected(CiraDevice d) throws Exception {
        d.connected().get(30, TimeUnit.SECONDS);
        return d;
    }

    private static DeviceGuid guid(SimulatedDevice d) {
        return DeviceGuid.of(d.guid());
    }

    private static Command send(SimulatedDevice device, CommandAction action) {
        Command command = new Command(UUID.randomUUID(), TENANT, guid(device), action, 60, null, Instant.now());
        producer.send(new ProducerRecord<>(KafkaTopics.gateway(gatewayId), command.guid().value(), Json.write(command)));
        producer.flush();
        return command;
    }

    @Test
    void aRegisteredDeviceConnectsAndIsAnnouncedWithALease() throws Exception {
        SimulatedDevice device = registeredDevice();
        try (var presence = TopicWatch.open(kafka, KafkaTopics.PRESENCE, Presence.class);
             var audit = TopicWatch.open(kafka, KafkaTopics.AUDIT, AuditEvent.class)) {
            connected(dial(device));

            Presence p = presence.await("presence connected", e -> e.guid().equals(guid(device)));
            assertThat(p.state()).isEqualTo(Presence.State.CONNECTED);
            assertThat(p.gatewayId()).isEqualTo(gatewayId);
            assertThat(p.tenant()).isEqualTo(TENANT);
            assertThat(leases.holder(guid(device))).hasValueSatisfying(l -> assertThat(l.gatewayId()).isEqualTo(gatewayId));
            AuditEvent connectedEvent = audit.await("device.connected", e -> e.type().equals("device.connected")
                    && e.target().equals("device:" + guid(device).value()));
            assertThat(connectedEvent.source()).isEqualTo("127.0.0.1");
            assertThat(Json.writeString(connectedEvent)).doesNotContain(new String(device.ciraPassword().utf8()));
        }
    }

    @Test
    void aConnectionWhoseLeaseWasReapedDuringALapseTakesItBackAndIsAnnouncedAgain() throws Exception {
        SimulatedDevice device = registeredDevice();
        connected(dial(device));
        await().until(() -> leases.holder(guid(device)).isPresent());
        try (var presence = TopicWatch.open(kafka, KafkaTopics.PRESENCE, Presence.class);
             var audit = TopicWatch.open(kafka, KafkaTopics.AUDIT, AuditEvent.class)) {
            // as after a PostgreSQL outage longer than the lease time: our heartbeat lapsed and a gateway reaped
            // the lease, announcing the device gone, while its connection stayed open
            // (again, if our own heartbeat renewed itself between the two steps)
            await("lease reaped").atMost(Duration.ofSeconds(30)).until(() -> {
                leases.stopHeartbeat(gatewayId);
                return leases.reapLapsed().stream().anyMatch(l -> l.guid().equals(guid(device)));
            });

            await("lease taken back").atMost(Duration.ofSeconds(30)).until(() -> leases.holder(guid(device)).isPresent());
            Presence again = presence.await("presence connected again",
                    p -> p.guid().equals(guid(device)) && p.state() == Presence.State.CONNECTED);
            assertThat(again.gatewayId()).isEqualTo(gatewayId);
            AuditEvent restored = audit.await("device.connected (lease restored)", e -> e.type().equals("device.connected")
                    && e.target().equals("device:" + guid(device).value()) && "lease restored".equals(e.reason()));
            assertThat(restored.actor().name()).isEqualTo(guid(device).value());
        }
    }

    @Test
    void aWrongCiraPasswordIsRefusedAndAudited() {
        SimulatedDevice device = registeredDevice();
        try (var audit = TopicWatch.open(kafka, KafkaTopics.AUDIT, AuditEvent.class)) {
            CiraDevice d = dial(device, CiraMisbehaviour.WRONG_CIRA_PASSWORD);
            await().atMost(Duration.ofSeconds(30)).until(() -> d.connected().isCompletedExceptionally());

            AuditEvent refused = audit.await("device.refused", e -> e.type().equals("device.refused")
                    && ("device:" + guid(device).value()).equals(e.target()));
            assertThat(refused.outcome()).isEqualTo(AuditEvent.Outcome.DENIED);
            assertThat(refused.reason()).isEqualTo("password does not match");
            assertThat(leases.holder(guid(device))).isEmpty();
        }
    }

    @Test
    void anUnregisteredDeviceIsRefusedWithTheSameAnswer() {
        SimulatedDevice unknown = SimulatedDevice.create(UUID.randomUUID(), Password.of("Adm1n-Passw0rd!"),
                Password.of("C1ra-Passw0rd!"), RANDOM);
        try (var audit = TopicWatch.open(kafka, KafkaTopics.AUDIT, AuditEvent.class)) {
            CiraDevice d = dial(unknown);
            await().atMost(Duration.ofSeconds(30)).until(() -> d.connected().isCompletedExceptionally());
            AuditEvent refused = audit.await("device.refused", e -> e.type().equals("device.refused")
                    && ("device:" + unknown.guid()).equals(e.target()));
            assertThat(refused.reason()).isEqualTo("device is not registered");
        }
    }

    @ParameterizedTest
    @EnumSource(CommandAction.class)
    void everyCatalogueActionRunsOnTheDeviceOverCira(CommandAction action) throws Exception {
        boolean powersUp = action == CommandAction.POWER_ON || action == CommandAction.POWER_BIOS;
        SimulatedDevice device = registeredDevice(powersUp ? 8 : 2);
        connected(dial(device));
        await().until(() -> leases.holder(guid(device)).isPresent());
        try (var results = TopicWatch.open(kafka, KafkaTopics.GATEWAY_RESULTS, CommandResult.class)) {
            Command command = send(device, action);
            CommandResult result = results.await("result of " + action, r -> r.commandId().equals(command.id()));
            assertThat(result.status()).as(result.reason() == null ? "" : result.reason())
                    .isEqualTo(CommandResult.Status.SUCCEEDED);
            assertThat(result.gatewayId()).isEqualTo(gatewayId);
            assertThat(result.guid()).isEqualTo(guid(device));
            if (powersUp) {
                assertThat(device.powerState()).isEqualTo(2);
            }
            if (action == CommandAction.POWER_BIOS) {
                assertThat(device.lastBoot()).isEqualTo(SimulatedDevice.BootTarget.BIOS_SETUP);
            }
        }
    }

    @Test
    void aDeviceRefusingATransitionGivesAFailedResultWithTheReason() throws Exception {
        SimulatedDevice device = registeredDevice(2);
        connected(dial(device));
        await().until(() -> leases.holder(guid(device)).isPresent());
        try (var results = TopicWatch.open(kafka, KafkaTopics.GATEWAY_RESULTS, CommandResult.class)) {
            Command on = send(device, CommandAction.POWER_ON);
            CommandResult result = results.await("power on while on", r -> r.commandId().equals(on.id()));
            assertThat(result.status()).isEqualTo(CommandResult.Status.FAILED);
            assertThat(result.reason()).contains("RequestPowerStateChange(2) returned 2");
        }
    }

    @Test
    void aPowerChangeChangesTheDeviceAndIsAnnouncedAsAnEvent() throws Exception {
        SimulatedDevice device = registeredDevice();
        connected(dial(device));
        await().until(() -> leases.holder(guid(device)).isPresent());
        try (var results = TopicWatch.open(kafka, KafkaTopics.GATEWAY_RESULTS, CommandResult.class);
             var events = TopicWatch.open(kafka, KafkaTopics.EVENTS, DeviceEvent.class)) {
            Command off = send(device, CommandAction.POWER_OFF_HARD);
            assertThat(results.await("power off", r -> r.commandId().equals(off.id())).status())
                    .isEqualTo(CommandResult.Status.SUCCEEDED);
            assertThat(device.powerState()).isEqualTo(8);
            DeviceEvent event = events.await("power event", e -> e.guid().equals(guid(device)));
            assertThat(event.type()).isEqualTo(DeviceEvent.Type.POWER_STATE);
            assertThat(event.data()).containsEntry("powerState", "off").containsEntry("commandId", off.id().toString());

            Command state = send(device, CommandAction.POWER_STATE);
            assertThat(results.await("power state", r -> r.commandId().equals(state.id())).output())
                    .containsEntry("powerState", "off");
        }
    }

    @Test
    void aCommandForADeviceThatIsNotHereIsAnsweredOffline() {
        SimulatedDevice device = registeredDevice();
        try (var results = TopicWatch.open(kafka, KafkaTopics.GATEWAY_RESULTS, CommandResult.class)) {
            Command command = send(device, CommandAction.POWER_ON);
            CommandResult result = results.await("offline", r -> r.commandId().equals(command.id()));
            assertThat(result.status()).isEqualTo(CommandResult.Status.OFFLINE);
        }
    }

    @Test
    void aVanishedDeviceIsAnnouncedDisconnectedAndItsLeaseEnds() throws Exception {
        SimulatedDevice device = registeredDevice();
        try (var presence = TopicWatch.open(kafka, KafkaTopics.PRESENCE, Presence.class)) {
            CiraDevice d = connected(dial(device));
            presence.await("connected", p -> p.guid().equals(guid(device)) && p.state() == Presence.State.CONNECTED);
            d.vanish();
            Presence gone = presence.await("disconnected", p -> p.guid().equals(guid(device))
                    && p.state() == Presence.State.DISCONNECTED);
            assertThat(gone.reason()).isNotBlank();
            await().until(() -> leases.holder(guid(device)).isEmpty());
        }
    }

    @Test
    void aNewerConnectionReplacesTheOlderAndTheOldOnesCloseChangesNothing() throws Exception {
        SimulatedDevice device = registeredDevice();
        try (var presence = TopicWatch.open(kafka, KafkaTopics.PRESENCE, Presence.class)) {
            CiraDevice first = connected(dial(device));
            presence.await("first connected", p -> p.guid().equals(guid(device)));
            CiraDevice second = connected(dial(device));

            first.closed().get(30, TimeUnit.SECONDS);
            presence.awaitAll("second connected", p -> p.guid().equals(guid(device)) && p.state() == Presence.State.CONNECTED, 2);
            assertThat(leases.holder(guid(device))).isPresent();
            assertThat(presence.seen(p -> p.guid().equals(guid(device)) && p.state() == Presence.State.DISCONNECTED))
                    .as("the replaced connection's end announces nothing").isEmpty();
            assertThat(second.closed()).isNotDone();
        }
    }

    @Test
    void garbageAfterLoginClosesTheConnectionAndIsCountedAndAudited() throws Exception {
        SimulatedDevice device = registeredDevice();
        try (var audit = TopicWatch.open(kafka, KafkaTopics.AUDIT, AuditEvent.class)) {
            CiraDevice d = connected(dial(device, CiraMisbehaviour.GARBAGE_FRAMES));
            d.closed().get(30, TimeUnit.SECONDS);
            AuditEvent refused = audit.await("protocol violation", e -> e.type().equals("device.refused")
                    && e.reason() != null && e.reason().startsWith("APF protocol violation"));
            assertThat(refused.target()).isEqualTo("device:" + guid(device).value());
            assertThat(metrics.find("amtbus.cira.protocol.errors").counter()).isNotNull();
        }
    }

    @Test
    void aSilentDeviceIsDroppedAfterTheIdleTimeout() throws Exception {
        SimulatedDevice device = registeredDevice();
        CiraDevice d = connected(dial(device, CiraMisbehaviour.SILENT));
        assertThat(d.closed().get(30, TimeUnit.SECONDS)).isEqualTo("closed");
        await().until(() -> leases.holder(guid(device)).isEmpty());
    }

    @Test
    void aDeviceThatVanishesMidCommandLeavesItIndeterminate() throws Exception {
        SimulatedDevice device = registeredDevice();
        connected(dial(device, CiraMisbehaviour.VANISH_MID_CHANNEL));
        await().until(() -> leases.holder(guid(device)).isPresent());
        try (var results = TopicWatch.open(kafka, KafkaTopics.GATEWAY_RESULTS, CommandResult.class)) {
            Command reset = send(device, CommandAction.POWER_RESET);
            CommandResult result = results.await("reset result", r -> r.commandId().equals(reset.id()));
            assertThat(result.status()).isIn(CommandResult.Status.INDETERMINATE, CommandResult.Status.FAILED);
        }
    }

    /** A TLS socket to the gateway for tests that send bytes no device would. */
    private static javax.net.ssl.SSLSocket rawTls(String... protocols) throws Exception {
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, TlsContexts.trustManagerFactory(ca.certificate()).getTrustManagers(), null);
        javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), gateway.port());
        socket.setEnabledProtocols(protocols.length == 0 ? new String[] {"TLSv1.3"} : protocols);
        socket.setSoTimeout(30_000);
        socket.startHandshake();
        return socket;
    }

    /** Reads until the gateway closes the connection; true if it did. */
    private static boolean closedByGateway(java.net.Socket socket) {
        try (socket) {
            byte[] buffer = new byte[4096];
            while (socket.getInputStream().read(buffer) >= 0) {
                // drain whatever the gateway sends before it closes
            }
            return true;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    @Test
    void aWrongAmtAdminPasswordGivesAFailedResultWithTheReason() throws Exception {
        SimulatedDevice device = registeredDevice();
        CiraDevice d = connected(dial(device));
        d.web().misbehave(org.amtbus.sim.amt.Misbehaviour.WRONG_PASSWORD);
        await().until(() -> leases.holder(guid(device)).isPresent());
        try (var results = TopicWatch.open(kafka, KafkaTopics.GATEWAY_RESULTS, CommandResult.class)) {
            Command c = send(device, CommandAction.POWER_STATE);
            CommandResult r = results.await("digest failure", x -> x.commandId().equals(c.id()));
            assertThat(r.status()).isEqualTo(CommandResult.Status.FAILED);
            assertThat(r.reason()).startsWith("auth_failed");
        }
    }

    @Test
    void hostileFramesAreRefusedAuditedAndTheGatewayKeepsServing() throws Exception {
        try (var audit = TopicWatch.open(kafka, KafkaTopics.AUDIT, AuditEvent.class)) {
            // an oversize string length in a SERVICE_REQUEST, before any login
            var oversize = rawTls();
            oversize.getOutputStream().write(new byte[] {0x05, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 'a', 'b'});
            oversize.getOutputStream().flush();
            assertThat(closedByGateway(oversize)).isTrue();
            audit.await("oversize refused", e -> e.type().equals("device.refused") && e.reason() != null
                    && e.reason().contains("string_too_long"));

            // an unknown message type
            var unknown = rawTls();
            unknown.getOutputStream().write(new byte[] {(byte) 0xEE, 0, 0, 0, 0});
            unknown.getOutputStream().flush();
            assertThat(closedByGateway(unknown)).isTrue();
            audit.await("unknown type refused", e -> e.type().equals("device.refused") && e.reason() != null
                    && e.reason().contains("unknown_message_type"));

            // a truncated frame, then silence: closed when the login deadline passes
            var truncated = rawTls();
            truncated.getOutputStream().write(new byte[] {(byte) 0xC0, 0, 0, 0, 1});
            truncated.getOutputStream().flush();
            assertThat(closedByGateway(truncated)).isTrue();
            assertThat(metrics.find("amtbus.cira.refused").tag("reason", "not_authenticated_in_time").counter())
                    .isNotNull();
        }
        // and a proper device is still served
        SimulatedDevice device = registeredDevice();
        connected(dial(device));
        await().until(() -> leases.holder(guid(device)).isPresent());
    }

    @Test
    void channelDataBeyondTheWindowClosesTheConnection() throws Exception {
        SimulatedDevice device = registeredDevice();
        try (var audit = TopicWatch.open(kafka, KafkaTopics.AUDIT, AuditEvent.class);
             var results = TopicWatch.open(kafka, KafkaTopics.GATEWAY_RESULTS, CommandResult.class)) {
            CiraDevice d = connected(dial(device, CiraMisbehaviour.FLOOD_CHANNEL));
            await().until(() -> leases.holder(guid(device)).isPresent());
            Command c = send(device, CommandAction.POWER_STATE);
            d.closed().get(30, TimeUnit.SECONDS);
            audit.await("window exceeded", e -> e.type().equals("device.refused") && e.reason() != null
                    && e.reason().contains("window_exceeded"));
            assertThat(results.await("flooded command", r -> r.commandId().equals(c.id())).status())
                    .isEqualTo(CommandResult.Status.FAILED);
        }
    }

    @Test
    void aDeviceReconnectingInEitherOrderEndsWithOneLeaseAndConnectedPresence() throws Exception {
        SimulatedDevice device = registeredDevice();
        try (var presence = TopicWatch.open(kafka, KafkaTopics.PRESENCE, Presence.class)) {
            // old connection gone before the new one arrives
            CiraDevice first = connected(dial(device));
            first.vanish();
            presence.await("gone", p -> p.guid().equals(guid(device)) && p.state() == Presence.State.DISCONNECTED);
            CiraDevice second = connected(dial(device));
            // new connection arrives while the old one is still open
            CiraDevice third = connected(dial(device));
            second.closed().get(30, TimeUnit.SECONDS);

            await().untilAsserted(() -> assertThat(leases.holder(guid(device)))
                    .hasValueSatisfying(l -> assertThat(l.gatewayId()).isEqualTo(gatewayId)));
            List<Presence> all = presence.seen(p -> p.guid().equals(guid(device)));
            assertThat(all.get(all.size() - 1).state()).isEqualTo(Presence.State.CONNECTED);
            assertThat(third.closed()).isNotDone();
            assertThat(gateway.connectedDevices()).isPositive();
        }
    }

    @Test
    void tlsBelow12IsRefusedAndTheCertificateIsP384FromOurCa() throws Exception {
        // BoringSSL by default wherever it loads (Linux x86_64 and aarch64 here); the checks below hold under it
        assertThat(io.netty.handler.ssl.OpenSsl.isAvailable()).isTrue();
        assertThat(gateway.tlsProvider()).isEqualTo(io.netty.handler.ssl.SslProvider.OPENSSL);
        assertThatThrownBy(() -> rawTls("TLSv1.1")).isInstanceOf(javax.net.ssl.SSLException.class);
        assertThatThrownBy(() -> rawTls("TLSv1")).isInstanceOf(javax.net.ssl.SSLException.class);
        try (var tls12 = rawTls("TLSv1.2")) {
            assertThat(tls12.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(tls12.getSession().getCipherSuite()).startsWith("TLS_ECDHE_").containsAnyOf("_GCM_", "CHACHA20");
            var leaf = (java.security.cert.X509Certificate) tls12.getSession().getPeerCertificates()[0];
            assertThat(leaf.getPublicKey()).isInstanceOf(java.security.interfaces.ECPublicKey.class);
            assertThat(((java.security.interfaces.ECPublicKey) leaf.getPublicKey()).getParams().getCurve().getField()
                    .getFieldSize()).isEqualTo(384);
            leaf.verify(ca.certificate().getPublicKey());
        }
        try (var tls13 = rawTls()) {
            assertThat(tls13.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
        for (String cbc : java.util.List.of("TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA")) {
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, TlsContexts.trustManagerFactory(ca.certificate()).getTrustManagers(), null);
            try (var socket = (javax.net.ssl.SSLSocket) context.getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), gateway.port())) {
                socket.setEnabledProtocols(new String[] {"TLSv1.2"});
                socket.setEnabledCipherSuites(new String[] {cbc});
                socket.setSoTimeout(30_000);
                assertThatThrownBy(socket::startHandshake).as(cbc).isInstanceOf(javax.net.ssl.SSLException.class);
            }
        }
    }

    @Test
    void connectionsBeyondThePerAddressCapAreClosedBeforeTls() throws Exception {
        List<java.net.Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_PER_ADDRESS + 5; i++) {
                java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), gateway.port());
                s.setSoTimeout(10_000);
                sockets.add(s);
            }
            await().untilAsserted(() -> assertThat(metrics.find("amtbus.cira.refused").tag("reason", "too_many_from_address")
                    .counter()).isNotNull().satisfies(c -> assertThat(c.count()).isGreaterThanOrEqualTo(5)));
        } finally {
            for (java.net.Socket s : sockets) {
                s.close();
            }
        }
        SimulatedDevice device = registeredDevice();
        connected(dial(device));
    }
}
