package org.amtbus.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.amtbus.acl.account.Account;
import org.amtbus.acl.account.AccountName;
import org.amtbus.acl.account.AccountStore;
import org.amtbus.acl.grant.GrantStore;
import org.amtbus.acl.level.AccessLoader;
import org.amtbus.acl.password.PasswordHasher;
import org.amtbus.gateway.CiraGateway;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.platform.db.Database;
import org.amtbus.platform.device.Device;
import org.amtbus.platform.device.DeviceEnrollment;
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
import org.amtbus.platform.tls.IssuedCertificate;
import org.amtbus.platform.tls.TlsContexts;
import org.amtbus.platform.tls.TlsPolicy;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.Command;
import org.amtbus.schemas.model.CommandAction;
import org.amtbus.schemas.model.CommandResult;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.GatewayId;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.BridgeHeaders;
import org.amtbus.schemas.topic.KafkaTopics;
import org.amtbus.sim.amt.AmtWebService;
import org.amtbus.sim.amt.Misbehaviour;
import org.amtbus.sim.amt.ResponseDelay;
import org.amtbus.sim.amt.SimulatedDevice;
import org.amtbus.sim.cira.CiraDevice;
import org.amtbus.wsman.digest.DigestVerifier;
import org.amtbus.wsman.digest.Password;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The router's promises under failure, with real Kafka, PostgreSQL, a real gateway and simulated devices over
 * TLS: a router restarted in the middle of a stream answers every command exactly once, and commands in flight
 * on a gateway that dies end {@code indeterminate} or {@code failed}, never lost and never run twice.
 */
class RouterResilienceIT {

    private static final TenantId TENANT = new TenantId("acme");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static Path dir;
    private static Database database;
    private static SealedFileSecretStore secrets;
    private static KafkaClients kafka;
    private static Producer<String, byte[]> producer;
    private static AuditLog audit;
    private static AccessLoader access;
    private static IssuedCertificate identity;
    private static SslContext deviceTls;
    private static NioEventLoopGroup devices;

    @BeforeAll
    static void start() {
        dir = TestDirectories.newTemporary("amtbus-router-");
        database = SharedPostgres.newDatabase().migrated();
        secrets = SealedFileSecretStore.open(dir.resolve("secrets"));
        kafka = SharedKafka.clients();
        producer = kafka.producer("test");
        audit = new AuditLog(producer, Clock.systemUTC(), "router-it");
        AccountStore accounts = new AccountStore(database.dataSource());
        accounts.create(new Account(new AccountName("ops"), Account.Kind.USER, true, Instant.now()),
                new PasswordHasher(1024, 1, 1, RANDOM).hash("not-used-in-this-test".toCharArray()));
        access = new AccessLoader(accounts, new GrantStore(database.dataSource()));
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir.resolve("ca"), Clock.systemUTC());
        identity = ca.issueServer("gateway", List.of("localhost"), List.of(InetAddress.getLoopbackAddress()), Duration.ofDays(30));
        deviceTls = TlsContexts.clientContext(ca.certificate(), TlsPolicy.CIRA, Optional.empty());
        try (var admin = kafka.admin()) {
            new Topics(admin, Topics.Settings.embedded()).createAll();
        }
        devices = new NioEventLoopGroup(1);
    }

    @AfterAll
    static void stop() {
        devices.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        producer.close();
        secrets.close();
        database.close();
        TestDirectories.deleteRecursively(dir);
    }

    private static CiraGateway gateway(String id) {
        try (var admin = kafka.admin()) {
            CiraGateway.Settings d = CiraGateway.Settings.defaults(new GatewayId(id),
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return CiraGateway.start(new CiraGateway.Settings(d.id(), d.address(), Duration.ofSeconds(3), d.limits(),
                            d.channelTimeout(), Duration.ofSeconds(20), d.session(), d.tlsProvider()), identity, database.dataSource(),
                    secrets, kafka, new Topics(admin, Topics.Settings.embedded()), audit, new SimpleMeterRegistry(),
                    Clock.systemUTC());
        }
    }

    private static CommandRouterRole router() {
        return CommandRouterRole.start(new CommandRouterRole.Settings(Duration.ofSeconds(60), Duration.ofHours(2), 300,
                Duration.ofMillis(200)), database.dataSource(), access, kafka, audit, new SimpleMeterRegistry(), Clock.systemUTC());
    }

    /** A registered simulated device dialling {@code gateway}, with its web service. */
    private static CiraDevice device(CiraGateway gateway, ResponseDelay delay) {
        DeviceGuid guid = DeviceGuid.of(UUID.randomUUID());
        Secret cira = Passwords.amtPassword();
        Secret admin = Passwords.amtPassword();
        new DeviceEnrollment(new DeviceRegistry(database.dataSource()), new DeviceSecrets(secrets), audit, Clock.systemUTC())
                .register(guid, TENANT, Device.defaultCiraUsername(guid), Optional.empty(), List.of(), cira, admin,
                        AuditEvent.Actor.system("test"));
        SimulatedDevice t = SimulatedDevice.create(guid.toUuid(), Password.of(admin.revealChars()), Password.of(cira.revealChars()),
                RANDOM);
        SimulatedDevice device = new SimulatedDevice(t.guid(), t.adminPassword(), Device.defaultCiraUsername(guid),
                t.ciraPassword(), t.amtVersion(), t.controlMode(), 2, t.realm(), t.hostName(), t.domainName());
        AmtWebService web = new AmtWebService(device, Clock.systemUTC(), RANDOM, DigestVerifier.DEFAULT_NONCE_LIFETIME,
                delay::schedule, 500);
        CiraDevice d = new CiraDevice(device, web).dial(devices, deviceTls,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), gateway.port()));
        d.connected().join();
        DeviceLeases leases = new DeviceLeases(database.dataSource());
        await().atMost(Duration.ofSeconds(30)).until(() -> leases.holder(guid).isPresent());
        return d;
    }

    private static Command send(DeviceGuid guid, CommandAction action) {
        Command c = new Command(UUID.randomUUID(), TENANT, guid, action, 600, null, Instant.now());
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(KafkaTopics.COMMANDS, guid.value(), Json.write(c));
        r.headers().add(BridgeHeaders.PRINCIPAL, "ops".getBytes(StandardCharsets.UTF_8));
        producer.send(r);
        return c;
    }

    private static int forwarded(List<UUID> ids) throws java.sql.SQLException {
        try (var c = database.dataSource().getConnection();
             var st = c.prepareStatement("SELECT count(*) FROM commands WHERE command_id = ANY (?) AND state = 'forwarded'")) {
            st.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Responses that are never written: a device that went silent in the middle of a command. */
    private static final class HeldResponses implements ResponseDelay {
        private final ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();

        @Override
        public void schedule(Runnable write) {
            held.add(write);
        }

        int pending() {
            return held.size();
        }
    }

    @Test
    void aRouterRestartedInTheMiddleOfAStreamAnswersEveryCommandExactlyOnce() throws Exception {
        CiraGateway gateway = gateway("gw-restart");
        List<CiraDevice> sims = new ArrayList<>();
        CommandRouterRole router = router();
        try (var results = TopicWatch.open(kafka, KafkaTopics.RESULTS, CommandResult.class)) {
            for (int i = 0; i < 3; i++) {
                sims.add(device(gateway, Runnable::run));
            }
            Set<UUID> sent = new java.util.HashSet<>();
            for (int i = 0; i < 1000; i++) {
                sent.add(send(DeviceGuid.of(sims.get(i % 3).device().guid()), CommandAction.POWER_STATE).id());
            }
            producer.flush();
            results.awaitAll("the first results", r -> sent.contains(r.commandId()), 200, Duration.ofSeconds(120));

            router.close();
            router = router();

            List<CommandResult> all = results.awaitAll("a result for every command", r -> sent.contains(r.commandId()),
                    1000, Duration.ofSeconds(180));
            Map<UUID, Long> perCommand = all.stream().collect(Collectors.groupingBy(CommandResult::commandId, Collectors.counting()));
            assertThat(perCommand).hasSize(1000);
            assertThat(perCommand.values()).as("exactly one result per command").containsOnly(1L);
            assertThat(all).allSatisfy(r -> assertThat(r.status()).isEqualTo(CommandResult.Status.SUCCEEDED));
        } finally {
            router.close();
            sims.forEach(CiraDevice::vanish);
            gateway.close();
        }
    }

    @Test
    void commandsInFlightOnAGatewayThatDiesEndIndeterminateOrFailedAndRunOnce() throws Exception {
        CiraGateway gateway = gateway("gw-dies");
        HeldResponses never = new HeldResponses();
        CiraDevice sim = device(gateway, never);
        sim.web().misbehave(Misbehaviour.SLOW);
        DeviceGuid guid = DeviceGuid.of(sim.device().guid());
        CommandRouterRole router = router();
        try (var results = TopicWatch.open(kafka, KafkaTopics.RESULTS, CommandResult.class)) {
            List<UUID> sent = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                sent.add(send(guid, CommandAction.POWER_RESET).id());
            }
            producer.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> never.pending() > 0);
            // all five are in the gateway's hands (forwarded), so none can honestly be answered offline
            await().atMost(Duration.ofSeconds(60)).until(() -> forwarded(sent) == 5);
            int bootsWhenKilled = sim.device().boots();

            gateway.close();

            List<CommandResult> all = results.awaitAll("a result for each command in flight", r -> sent.contains(r.commandId()),
                    5, Duration.ofSeconds(60));
            assertThat(all.stream().map(CommandResult::commandId).distinct()).hasSize(5);
            assertThat(all).allSatisfy(r -> assertThat(r.status())
                    .isIn(CommandResult.Status.INDETERMINATE, CommandResult.Status.FAILED));
            assertThat(sim.device().boots()).as("nothing replayed").isLessThanOrEqualTo(bootsWhenKilled + 1);
            assertThat(results.seen(r -> sent.contains(r.commandId()))).hasSize(5);
        } finally {
            router.close();
            sim.vanish();
        }
    }
}
