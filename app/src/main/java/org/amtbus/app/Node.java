package org.amtbus.app;

import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.amtbus.acl.account.AccountName;
import org.amtbus.acl.account.AccountStore;
import org.amtbus.acl.bootstrap.AccountBootstrap;
import org.amtbus.acl.login.LoginResult;
import org.amtbus.acl.login.PasswordAuthenticator;
import org.amtbus.acl.password.PasswordHasher;
import org.amtbus.audit.AuditService;
import org.amtbus.audit.sink.AuditSinkConfig;
import org.amtbus.broker.MqttBroker;
import org.amtbus.gateway.CiraGateway;
import org.amtbus.router.CommandRouterRole;
import org.amtbus.acl.grant.GrantStore;
import org.amtbus.acl.level.AccessLoader;
import org.amtbus.acl.token.TokenService;
import org.amtbus.acl.http.GoAuthApi;
import org.amtbus.broker.auth.LevelAuthorizer;
import org.amtbus.broker.auth.Principals;
import org.amtbus.broker.auth.MqttLogin;
import org.amtbus.broker.bridge.CommandBridge;
import org.amtbus.broker.bridge.EventBridge;
import org.amtbus.broker.bridge.EventRoutes;
import org.amtbus.broker.session.AccessChangeListener;
import org.amtbus.broker.session.Sessions;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.platform.db.Database;
import org.amtbus.platform.db.DatabaseConfig;
import org.amtbus.platform.kafka.EmbeddedKafka;
import org.amtbus.platform.kafka.KafkaClients;
import org.amtbus.platform.kafka.KafkaConfig;
import org.amtbus.platform.kafka.Topics;
import org.amtbus.platform.metrics.MetricsServer;
import org.amtbus.platform.tls.CertificateExpiryWatch;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.amtbus.platform.secret.SealedFileSecretStore;
import org.amtbus.platform.secret.SecretStore;
import org.amtbus.platform.tls.CertificateAuthority;
import org.amtbus.platform.tls.IssuedCertificate;
import org.amtbus.platform.tls.TlsContexts;
import org.amtbus.platform.tls.TlsPolicy;
import org.amtbus.schemas.SchemaValidator;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.topic.KafkaTopics;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One amtbus process with all its roles on embedded defaults: secret store, CA, PostgreSQL, Kafka,
 * accounts, and the broker with its bridges.
 *
 * <p>Invariant: parts start in dependency order and stop in the reverse order; a part that fails to
 * start stops everything started before it and surfaces one line naming the cause.
 */
public final class Node implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    private static final String SERVICE_NAME = "amtbus";
    /** A single-node group rebalance takes a few seconds (the group coordinator's initial delay). */
    private static final java.time.Duration BRIDGE_READY_TIMEOUT = java.time.Duration.ofSeconds(60);

    /** What a person needs to reach this node. */
    public record Endpoints(Path dataDir, java.util.Set<Role> roles, String mqttHost, int mqttPort, Path caFile, String kafkaBootstrap,
                            String jdbcUrl, boolean superuserCreated, Path passwordFile, String metricsUrl,
                            boolean embeddedKafka, boolean embeddedDatabase, String apiUrl, String ciraHost, int ciraPort) { }

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private Endpoints endpoints;
    private java.util.Set<org.amtbus.acl.http.ApiServer.Route> apiRoutes = java.util.Set.of();
    private AuditLog audit;
    private PrometheusMeterRegistry meters;
    private volatile boolean closed;

    private Node() {
    }

    /** Starts every part; throws {@link StartupException} (with everything already stopped) on failure. */
    public static Node start(NodeSettings settings) {
        Node node = new Node();
        try {
            node.startParts(settings);
            return node;
        } catch (RuntimeException e) {
            node.close();
            if (e instanceof StartupException) {
                throw e;
            }
            LOG.debug("event=node.start-failed", e);
            throw new StartupException(StartupException.ENVIRONMENT, OneLine.of(e), e);
        }
    }

    private void startParts(NodeSettings s) {
        Clock clock = Clock.systemUTC();
        Path dataDir = s.dataDir();
        // fail before starting anything when a port we need is taken
        if (s.runs(Role.BROKER)) {
            Ports.requireFree(s.broker().host(), s.broker().port(), "broker.mqtt.port");
            s.broker().plainPort().ifPresent(p -> Ports.requireFree(s.broker().plainHost(), p, "broker.plain.port"));
        }
        if (s.embeddedKafka()) {
            Ports.requireFree(java.net.InetAddress.getLoopbackAddress(), s.kafkaPort(), "kafka.port");
        }
        if (s.database().mode() == DatabaseConfig.Mode.EMBEDDED && !s.sharedEmbeddedDatabase()) {
            Ports.requireFree(java.net.InetAddress.getLoopbackAddress(), s.database().port(), "database.port");
        }
        Ports.requireFree(s.metricsHost(), s.metricsPort(), "metrics.port");
        if (s.runs(Role.API)) {
            Ports.requireFree(s.apiHost(), s.apiPort(), "api.port");
        }
        if (s.runs(Role.GATEWAY)) {
            Ports.requireFree(s.cira().host(), s.cira().port(), "cira.port");
        }

        PrometheusMeterRegistry registry = MetricsServer.newRegistry();
        meters = registry;
        org.amtbus.platform.metrics.HealthChecks health = new org.amtbus.platform.metrics.HealthChecks();
        health.register("started", () -> endpoints != null && !closed);
        MetricsServer metrics = MetricsServer.start(registry, health, s.metricsHost(), s.metricsPort());
        started.push(metrics);

        SecretStore secrets = SecretStores.open(s);
        started.push(secrets);

        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dataDir.resolve("tls"), clock);
        java.util.Map<String, java.security.cert.X509Certificate> watched = new java.util.TreeMap<>();
        watched.put("ca", ca.certificate());
        IssuedCertificate brokerCert = null;
        if (s.runs(Role.BROKER)) {
            brokerCert = ca.loadOrIssueServer(dataDir.resolve("tls"), certName("broker", s), s.tlsDnsNames(), s.tlsIpAddresses());
            watched.put("broker", brokerCert.certificate());
        }
        IssuedCertificate apiCert = null;
        if (s.runs(Role.API)) {
            apiCert = ca.loadOrIssueServer(dataDir.resolve("tls"), certName("api", s), s.tlsDnsNames(), s.tlsIpAddresses());
            watched.put("api", apiCert.certificate());
        }
        IssuedCertificate ciraCert = null;
        if (s.runs(Role.GATEWAY)) {
            ciraCert = ca.loadOrIssueServer(dataDir.resolve("tls"), certName("cira", s), s.tlsDnsNames(), s.tlsIpAddresses());
            watched.put("cira", ciraCert.certificate());
        }

        Database database = s.sharedEmbeddedDatabase()
                ? connectShared(dataDir, s.database().port(), s.database().poolSize())
                : Database.start(s.database(), dataDir, () -> secrets.get(NodeSettings.DATABASE_PASSWORD)
                .orElseThrow(() -> new StartupException(StartupException.CONFIGURATION,
                        "database.url is set but the secret store has no '" + NodeSettings.DATABASE_PASSWORD
                                + "'; store it with: amtbus secret put " + NodeSettings.DATABASE_PASSWORD + " < file"))
                .revealChars());
        started.push(database);

        KafkaConfig kafkaConfig;
        if (s.embeddedKafka()) {
            EmbeddedKafka kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), s.kafkaPort());
            started.push(kafka);
            kafkaConfig = new KafkaConfig(kafka.bootstrapServers(), "amtbus-" + s.nodeId());
        } else {
            kafkaConfig = s.externalKafka().get();
        }
        KafkaClients clients = new KafkaClients(kafkaConfig);
        org.apache.kafka.clients.admin.Admin healthAdmin = clients.admin();
        started.push(healthAdmin::close);
        org.amtbus.platform.kafka.KafkaHealth kafkaHealth = new org.amtbus.platform.kafka.KafkaHealth(healthAdmin);
        health.register("kafka", kafkaHealth::isHealthy);
        health.register("database", () -> {
            try (var c = database.dataSource().getConnection()) {
                return c.isValid(2);
            } catch (java.sql.SQLException e) {
                return false;
            }
        });
        try (var admin = clients.admin()) {
            Topics.Settings topicSettings = Topics.Settings.embedded();
            new Topics(admin, new Topics.Settings(topicSettings.commandPartitions(), topicSettings.partitions(),
                    s.kafkaReplicationFactor())).createAll();
        }

        Producer<String, byte[]> auditProducer = clients.bulkProducer("audit");
        started.push(auditProducer::close);
        audit = new AuditLog(auditProducer, clock, s.nodeId());
        started.push(audit::close);
        FunctionCounter.builder("amtbus.audit.events.sent", audit, AuditLog::sentCount).register(registry);
        FunctionCounter.builder("amtbus.audit.events.failed", audit, AuditLog::failedCount).register(registry);

        // certificates issued during this start (first start, renewal inside 30 days) are audited: cert.issued
        // the CA backdates notBefore by BACKDATE, so "issued since this JVM started" is notBefore >= start - BACKDATE
        java.time.Instant startedAt = java.time.Instant.ofEpochMilli(
                java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime()).minus(CertificateAuthority.BACKDATE);
        watched.forEach((name, cert) -> {
            if (!cert.getNotBefore().toInstant().isBefore(startedAt)) {
                audit.event("cert.issued").actor(AuditEvent.Actor.system(SERVICE_NAME)).target(name)
                        .outcome(AuditEvent.Outcome.SUCCESS)
                        .detail("subject", cert.getSubjectX500Principal().getName().replaceAll("[^A-Za-z0-9=,. _-]", "_"))
                        .detail("notAfter", cert.getNotAfter().toInstant().toString())
                        .detail("serial", cert.getSerialNumber().toString(16)).emit();
            }
        });
        CertificateExpiryWatch expiry = new CertificateExpiryWatch(watched, clock, CertificateExpiryWatch.DEFAULT_THRESHOLD,
                (name, cert, left) -> {
                    LOG.warn("event=cert.expiring name={} expires={} daysLeft={}", name, cert.getNotAfter().toInstant(), left.toDays());
                    audit.event("cert.expiring").actor(AuditEvent.Actor.system(SERVICE_NAME)).target(name)
                            .outcome(AuditEvent.Outcome.FAILURE).reason("expires in " + left.toDays() + " days")
                            .detail("notAfter", cert.getNotAfter().toInstant().toString()).emit();
                });
        started.push(expiry.start());
        for (String name : expiry.names()) {
            Gauge.builder("amtbus.certificate.expiry.seconds", expiry, w -> w.secondsLeft(name)).tag("name", name).register(registry);
        }

        AccountStore accounts = new AccountStore(database.dataSource());
        PasswordHasher hasher = new PasswordHasher();
        AccountBootstrap.Outcome bootstrap = new AccountBootstrap(accounts, hasher, secrets, clock).ensure(dataDir);
        bootstrap.serviceAccountsCreated().forEach(name -> audit.event("user.created")
                .actor(AuditEvent.Actor.system(SERVICE_NAME)).target(name.value()).detail("kind", "service").emit());
        if (bootstrap.superuserCreated()) {
            audit.event("user.created").actor(AuditEvent.Actor.system(SERVICE_NAME))
                    .target(AccountBootstrap.SUPERUSER.value()).detail("kind", "superuser").emit();
        }

        Principals principals = new Principals();
        MqttBroker broker = null;
        GoAuthApi api = null;
        AccessLoader accessLoader = new AccessLoader(accounts, new GrantStore(database.dataSource()));
        // one authenticator, so MQTT and HTTP share one lockout: switching protocol earns no extra guesses
        PasswordAuthenticator passwords = new PasswordAuthenticator(accounts, hasher, s.lockout().throttle(clock),
                s.lockout().addressThrottle(clock));
        TokenService tokens = TokenService.open(secrets, clock);
        // the external identity provider's tokens are accepted as an MQTT password and as an API bearer token alike
        java.util.Optional<org.amtbus.acl.token.ExternalTokenVerifier> external = s.api().identityProvider()
                .map(idp -> new org.amtbus.acl.token.ExternalTokenVerifier(idp,
                        (javax.net.ssl.SSLSocketFactory) javax.net.ssl.SSLSocketFactory.getDefault(), clock));
        org.amtbus.acl.token.BearerTokens bearerTokens = new org.amtbus.acl.token.BearerTokens(tokens, external);
        org.amtbus.acl.enrollment.EnrollmentTokens enrollmentTokens =
                new org.amtbus.acl.enrollment.EnrollmentTokens(database.dataSource(), audit, clock);
        if (s.runs(Role.API) || s.runs(Role.BROKER)) {
            // the roles that issue and redeem agent enrollment tokens also clear the expired ones
            started.push(org.amtbus.acl.enrollment.EnrollmentTokenPurge.start(enrollmentTokens,
                    org.amtbus.acl.enrollment.EnrollmentTokenPurge.INTERVAL));
        }
        MqttLogin mqttLogin = new MqttLogin(passwords, bearerTokens, accessLoader, principals,
                (username, clientId, result, source) -> auditLogin("mqtt", username, clientId, result, source),
                Optional.of(new org.amtbus.broker.auth.AgentLogin(enrollmentTokens, clock)));
        LevelAuthorizer authorizer = new LevelAuthorizer(principals, this::auditDenial);

        if (s.runs(Role.API)) {
            api = GoAuthApi.start(new java.net.InetSocketAddress(s.apiHost(), s.apiPort()),
                    TlsContexts.jdkServerContext(apiCert), passwords, accessLoader,
                    new GoAuthApi.Listener() {
                        @Override
                        public void login(String username, String clientId, LoginResult result, String source) {
                            auditLogin("http", username, clientId, result, source);
                        }

                        @Override
                        public void denied(String action, String topic, String username, String clientId, String source) {
                            meters.counter("amtbus.api.acl.denials", "action", action).increment();
                            audit.event("acl.denied").actor(actor(username)).source(source).target(safe(topic))
                                    .outcome(AuditEvent.Outcome.DENIED).reason(action + " not allowed")
                                    .detail("protocol", "http").emit();
                        }
                    });
            started.push(api);
            Producer<String, byte[]> aclProducer = clients.producer("acl-changes");
            started.push(aclProducer::close);
            org.amtbus.acl.admin.AccountAdmin accountAdmin = new org.amtbus.acl.admin.AccountAdmin(accounts,
                    new GrantStore(database.dataSource()), hasher, new org.amtbus.acl.password.PasswordPolicy(), audit,
                    new org.amtbus.acl.change.AclChanges(aclProducer), clock);
            org.amtbus.acl.http.AdminApi.Services adminServices = new org.amtbus.acl.http.AdminApi.Services(accounts,
                    accountAdmin, passwords, tokens, bearerTokens,
                    new org.amtbus.platform.device.DeviceEnrollment(new org.amtbus.platform.device.DeviceRegistry(
                            database.dataSource()), new org.amtbus.platform.device.DeviceSecrets(secrets), audit, clock),
                    new org.amtbus.platform.device.DeviceRegistry(database.dataSource()), audit, clock);
            org.amtbus.acl.http.AdminApi.mount(api.server(),
                    new org.amtbus.acl.http.AdminApi.Settings(s.api().authorizeEnabled(), s.api().tokenTtl()), adminServices,
                    // profiles and domains live in provisioning-worker, which the acl-service does not depend on
                    List.of(new org.amtbus.provisioning.http.ProfilesApi(new org.amtbus.provisioning.profile.ProfileAdmin(
                            new org.amtbus.provisioning.profile.ProfileStore(database.dataSource()),
                            new org.amtbus.provisioning.profile.DomainStore(database.dataSource(), secrets), audit))));
            org.amtbus.acl.http.AdminApi.mountEnrollmentTokens(api.server(), adminServices, enrollmentTokens);
            apiRoutes = api.server().routes();
        }

        if (s.runs(Role.BROKER)) {
            Producer<String, byte[]> bridgeProducer = clients.producer("command-bridge");
            started.push(bridgeProducer::close);
            // commands are refused with a reason while Kafka is unreachable, instead of waiting on it
            org.amtbus.platform.kafka.KafkaAvailability bus = org.amtbus.platform.kafka.KafkaAvailability.start(kafkaHealth,
                    org.amtbus.platform.kafka.KafkaAvailability.DEFAULT_PERIOD);
            started.push(bus::close);
            MqttBroker localBroker = new MqttBroker(s.broker());
            CommandBridge commandBridge = new CommandBridge(bridgeProducer, clock, bus,
                    new org.amtbus.broker.bridge.CommandRefusals(audit, localBroker::publishInternal, Node::actor, clock));

            FunctionCounter.builder("amtbus.bridge.commands.forwarded", commandBridge, CommandBridge::forwardedCount).register(registry);
            FunctionCounter.builder("amtbus.bridge.commands.failed", commandBridge, CommandBridge::failedCount).register(registry);

            Producer<String, byte[]> agentProducer = clients.producer("agent-bridge");
            started.push(agentProducer::close);
            org.amtbus.broker.bridge.AgentBridge agentBridge = new org.amtbus.broker.bridge.AgentBridge(agentProducer, clock, bus);
            FunctionCounter.builder("amtbus.bridge.agent.forwarded", agentBridge,
                    org.amtbus.broker.bridge.AgentBridge::forwardedCount).register(registry);
            FunctionCounter.builder("amtbus.bridge.agent.failed", agentBridge,
                    org.amtbus.broker.bridge.AgentBridge::failedCount).register(registry);

            Sessions sessions = new Sessions();
            broker = localBroker;
            broker.start(TlsContexts.serverContext(brokerCert, TlsPolicy.MODERN, Optional.empty(),
                            s.broker().tlsProvider().resolve()), mqttLogin, authorizer,
                    List.of(commandBridge, sessions, agentBridge));
            started.push(broker);
            FunctionCounter.builder("amtbus.broker.logins.busy", broker, MqttBroker::busyLoginRefusals).register(registry);
            org.amtbus.broker.intake.IntakeCounters intake = broker.intakeCounters();
            FunctionCounter.builder("amtbus.broker.intake.paused", intake,
                    org.amtbus.broker.intake.IntakeCounters::pausedCount).register(registry);
            FunctionCounter.builder("amtbus.broker.intake.qos0.dropped", intake,
                    org.amtbus.broker.intake.IntakeCounters::qos0DroppedCount).register(registry);
            FunctionCounter.builder("amtbus.broker.intake.closed", intake,
                    org.amtbus.broker.intake.IntakeCounters::closedCount).register(registry);
            FunctionCounter.builder("amtbus.broker.intake.internal.unrouted", intake,
                    org.amtbus.broker.intake.IntakeCounters::internalUnroutedCount).register(registry);
            FunctionCounter.builder("amtbus.broker.session.queue.overruns", broker, MqttBroker::sessionQueueOverruns)
                    .register(registry);

            // every broker acts on every access change: forget the cached account, end sessions whose access shrank
            MqttBroker runningBroker = broker;
            AccessChangeListener accessChanges = new AccessChangeListener(
                    clients.consumer("broker-acl-" + s.nodeId(), KafkaClients.OffsetReset.LATEST), change -> {
                        principals.refresh(change.account(), name -> accessLoader.load(new AccountName(name)));
                        if (change.kind().cutsSessions()) {
                            for (String clientId : sessions.clientsOf(change.account())) {
                                if (runningBroker.disconnect(clientId)) {
                                    audit.event("session.revoked").actor(AuditEvent.Actor.system(SERVICE_NAME))
                                            .target(safe(clientId)).reason(change.kind().name().toLowerCase(java.util.Locale.ROOT))
                                            .detail("account", change.account()).emit();
                                }
                            }
                        }
                    });
            accessChanges.start();
            started.push(accessChanges);
            if (!accessChanges.awaitReady(BRIDGE_READY_TIMEOUT)) {
                throw new StartupException(StartupException.ENVIRONMENT,
                        "the access-change listener got no Kafka partition within " + BRIDGE_READY_TIMEOUT.toSeconds() + " s");
            }

            EventBridge eventBridge = new EventBridge(
                    clients.consumer("broker-" + s.nodeId(), KafkaClients.OffsetReset.LATEST),
                    List.of(KafkaTopics.RESULTS, KafkaTopics.PRESENCE, KafkaTopics.EVENTS, KafkaTopics.ALERTS,
                            KafkaTopics.PROVISIONING),
                    new EventRoutes(new SchemaValidator()), runningBroker::publishInternal);
            FunctionCounter.builder("amtbus.bridge.events.published", eventBridge, EventBridge::publishedCount).register(registry);
            FunctionCounter.builder("amtbus.bridge.events.rejected", eventBridge, EventBridge::rejectedCount).register(registry);
            eventBridge.start();
            started.push(eventBridge);
            if (!eventBridge.awaitReady(BRIDGE_READY_TIMEOUT)) {
                throw new StartupException(StartupException.ENVIRONMENT,
                        "the event bridge got no Kafka partitions within " + BRIDGE_READY_TIMEOUT.toSeconds() + " s");
            }

            // WS-Man request frames for agents: every broker delivers them to the agents connected to it
            EventBridge agentRequests = new EventBridge(
                    clients.consumer("broker-agent-" + s.nodeId(), KafkaClients.OffsetReset.LATEST),
                    List.of(KafkaTopics.AGENT_DOWN), new org.amtbus.broker.bridge.AgentRequestRoutes(),
                    runningBroker::publishInternal);
            agentRequests.start();
            started.push(agentRequests);
            if (!agentRequests.awaitReady(BRIDGE_READY_TIMEOUT)) {
                throw new StartupException(StartupException.ENVIRONMENT,
                        "the agent request bridge got no Kafka partitions within " + BRIDGE_READY_TIMEOUT.toSeconds() + " s");
            }
        }

        // the audit sink resumes amtbus.audit from its last commit, so no event of the parts before it is missed
        if (s.runs(Role.AUDIT_SINK)) {
            AuditService auditSink = AuditService.start(database.dataSource(), clients, secrets, AuditSinkConfig.defaults(), clock);
            started.push(auditSink);
            FunctionCounter.builder("amtbus.audit.sink.stored", auditSink.sink(), org.amtbus.audit.sink.AuditSink::storedCount)
                    .register(registry);
            FunctionCounter.builder("amtbus.audit.sink.rejected", auditSink.sink(), org.amtbus.audit.sink.AuditSink::rejectedCount)
                    .register(registry);
            health.register("audit-sink", () -> !auditSink.sink().failed());
            AuditSettings auditSettings = s.audit();
            if (!auditSettings.siemOutputs().isEmpty()) {
                java.security.cert.X509Certificate trust = auditSettings.siemCaFile()
                        .map(Node::readCertificate).orElse(ca.certificate());
                java.util.Optional<IssuedCertificate> client = auditSettings.siemOutputs().stream()
                        .anyMatch(o -> o.clientCertificate())
                        ? java.util.Optional.of(ca.issueClient("audit-sink-" + s.nodeId(), CertificateAuthority.SERVICE_VALIDITY))
                        : java.util.Optional.empty();
                org.amtbus.audit.siem.delivery.SiemDelivery siem = org.amtbus.audit.siem.delivery.SiemDelivery.start(
                        database.dataSource(), secrets, org.amtbus.audit.siem.delivery.SiemConfig.of(auditSettings.siemOutputs(),
                                dataDir.resolve("siem-spool").resolve(s.nodeId()), hostName(), Version.current()),
                        java.util.Optional.of(new org.amtbus.audit.siem.delivery.SiemTls(trust, client)), registry);
                started.push(siem);
                auditSink.sink().onStored(siem::poke);
            }
            // the rules read the sink's stored events: each event parsed and validated once, no second consumer
            org.amtbus.audit.alert.AlertService alerts = org.amtbus.audit.alert.AlertService.attach(auditSink.sink(),
                    clients, audit, auditSettings.alerts(), clock, auditSink.queries(), auditSettings.verifyInterval());
            started.push(alerts);
        }

        if (s.runs(Role.ROUTER)) {
            CommandRouterRole router = CommandRouterRole.start(new CommandRouterRole.Settings(s.router().resultDeadline(),
                            CommandRouterRole.Settings.defaults().dedupeWindow(), s.router().defaultTtlSeconds(),
                            CommandRouterRole.Settings.defaults().sweepPeriod()),
                    database.dataSource(), accessLoader, clients, audit, registry, clock);
            started.push(router);
        }

        CiraGateway ciraGateway = null;
        if (s.runs(Role.GATEWAY)) {
            CiraGateway.Settings gatewayDefaults = CiraGateway.Settings.defaults(s.cira().gatewayId(),
                    new java.net.InetSocketAddress(s.cira().host(), s.cira().port()));
            try (var admin = clients.admin()) {
                Topics.Settings topicSettings = Topics.Settings.embedded();
                ciraGateway = CiraGateway.start(new CiraGateway.Settings(gatewayDefaults.id(), gatewayDefaults.address(),
                                s.cira().leaseTime(), s.cira().limits(), gatewayDefaults.channelTimeout(),
                                gatewayDefaults.exchangeTimeout(), gatewayDefaults.session(), s.cira().tlsProvider()),
                        ciraCert, database.dataSource(), secrets, clients,
                        new Topics(admin, new Topics.Settings(topicSettings.commandPartitions(), topicSettings.partitions(),
                                s.kafkaReplicationFactor())), audit, registry, clock);
            } catch (IllegalStateException e) {
                throw new StartupException(StartupException.ENVIRONMENT, OneLine.of(e));
            }
            started.push(ciraGateway);
            health.register("gateway-heartbeat", ciraGateway::healthy);
        }

        if (s.runs(Role.PROVISIONING)) {
            // every provisioning node reads every agent's report and answers (its own group), wherever the agent is
            org.amtbus.provisioning.agent.AgentRelay relay = new org.amtbus.provisioning.agent.AgentRelay(
                    clients.consumer("provisioning-agents-" + s.nodeId(), KafkaClients.OffsetReset.LATEST),
                    clients.producer("agent-relay"), clock, org.amtbus.provisioning.agent.AgentRelay.DEFAULT_REPORT_WAIT);
            relay.start();
            started.push(relay);
            if (!relay.awaitReady(BRIDGE_READY_TIMEOUT)) {
                throw new StartupException(StartupException.ENVIRONMENT,
                        "the agent relay got no Kafka partitions within " + BRIDGE_READY_TIMEOUT.toSeconds() + " s");
            }
            Gauge.builder("amtbus.provisioning.agents.connected", relay,
                    org.amtbus.provisioning.agent.AgentRelay::connectedAgents).register(registry);
            // managed devices are reconfigured through the gateway holding their CIRA connection
            org.amtbus.provisioning.cira.CiraRelay cira = new org.amtbus.provisioning.cira.CiraRelay(
                    clients.consumer("provisioning-cira-" + s.nodeId(), KafkaClients.OffsetReset.LATEST),
                    clients.producer("cira-relay"), new org.amtbus.platform.device.DeviceLeases(database.dataSource()),
                    org.amtbus.provisioning.cira.CiraRelay.OPEN_TIMEOUT);
            cira.start();
            started.push(cira);
            if (!cira.awaitReady(BRIDGE_READY_TIMEOUT)) {
                throw new StartupException(StartupException.ENVIRONMENT,
                        "the CIRA relay got no Kafka partitions within " + BRIDGE_READY_TIMEOUT.toSeconds() + " s");
            }
            org.amtbus.provisioning.ProvisioningRole provisioning = org.amtbus.provisioning.ProvisioningRole.start(
                    new org.amtbus.provisioning.ProvisioningRole.Settings(s.provisioningMaxConcurrent(),
                            s.provisioningRunLease()), database.dataSource(),
                    secrets, clients, audit, accessLoader, ca.certificate(), relay, java.util.Optional.of(cira), clock);
            started.push(provisioning);
            FunctionCounter.builder("amtbus.provisioning.requests.refused", provisioning,
                    org.amtbus.provisioning.ProvisioningRole::refusedRequests).register(registry);
            FunctionCounter.builder("amtbus.provisioning.requests.invalid", provisioning,
                    org.amtbus.provisioning.ProvisioningRole::invalidRequests).register(registry);
            FunctionCounter.builder("amtbus.provisioning.runs.recovered", provisioning,
                    org.amtbus.provisioning.ProvisioningRole::recoveredRuns).register(registry);
        }

        audit.event("service.started").actor(AuditEvent.Actor.system(SERVICE_NAME)).target(s.nodeId()).emit();
        endpoints = new Endpoints(dataDir, s.roles(), s.broker().host().getHostAddress(), broker == null ? 0 : broker.tlsPort(),
                ca.certificateFile(),
                kafkaConfig.bootstrapServers(), database.jdbcUrl(), bootstrap.superuserCreated(), bootstrap.passwordFile(),
                "http://" + hostForUrl(s.metricsHost()) + ":" + metrics.port() + "/metrics",
                s.embeddedKafka(), s.database().mode() == DatabaseConfig.Mode.EMBEDDED,
                api == null ? null : "https://" + hostForUrl(s.apiHost()) + ":" + api.port() + "/api/v1/",
                s.cira().host().getHostAddress(), ciraGateway == null ? 0 : ciraGateway.port());
        LOG.info("event=node.started node={} roles={} kafka={}", s.nodeId(), s.roles(), kafkaConfig.bootstrapServers());
    }

    /**
     * A service certificate's file name: {@code broker}, {@code cira}, {@code api} for the default node, with the node
     * id appended otherwise, so processes sharing a data directory never write each other's key files.
     */
    private static String certName(String role, NodeSettings s) {
        return s.nodeId().equals("node-1") ? role : role + "-" + s.nodeId();
    }

    private static java.security.cert.X509Certificate readCertificate(Path file) {
        try (var in = java.nio.file.Files.newInputStream(file)) {
            return (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
        } catch (java.io.IOException | java.security.cert.CertificateException e) {
            throw new StartupException(StartupException.CONFIGURATION, "siem.caFile: cannot read a certificate from " + file);
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "amtbus";
        }
    }

    /** The embedded PostgreSQL another process of this data directory runs (a multi-process node on one machine). */
    private static Database connectShared(Path dataDir, int port, int poolSize) {
        try {
            return Database.connectToRunningEmbedded(dataDir, port, poolSize);
        } catch (IllegalStateException e) {
            throw new StartupException(StartupException.ENVIRONMENT, "database.embeddedShared: no embedded PostgreSQL of "
                    + dataDir + " answers on port " + port + "; start the process that runs it first: " + OneLine.of(e));
        }
    }

    private void auditLogin(String protocol, String username, String clientId, LoginResult result, String source) {
        meters.counter(protocol.equals("mqtt") ? "amtbus.broker.logins" : "amtbus.api.logins",
                "outcome", result.isAccepted() ? "success" : "failure",
                "reason", result.reason().name().toLowerCase(java.util.Locale.ROOT)).increment();
        audit.event("auth.login")
                .actor(actor(username))
                .source(source)
                .outcome(result.isAccepted() ? AuditEvent.Outcome.SUCCESS : AuditEvent.Outcome.FAILURE)
                .reason(result.isAccepted() ? null : result.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '))
                .detail("protocol", protocol)
                .detail("clientId", safe(clientId))
                .emit();
        if (result.lockStarted()) {
            meters.counter("amtbus.broker.lockouts", "scope", "account").increment();
            audit.event("auth.lockout").actor(actor(username)).outcome(AuditEvent.Outcome.DENIED)
                    .source(source).reason("too many failed logins").detail("scope", "account")
                    .detail("protocol", protocol).emit();
        }
        if (result.addressLockStarted()) {
            meters.counter("amtbus.broker.lockouts", "scope", "address").increment();
            audit.event("auth.lockout").actor(actor(username)).outcome(AuditEvent.Outcome.DENIED)
                    .source(source).target(source == null ? null : "address:" + source)
                    .reason("too many failed logins from the address").detail("scope", "address")
                    .detail("protocol", protocol).emit();
        }
    }

    private void auditDenial(String action, String topic, String username, String clientId) {
        meters.counter("amtbus.broker.acl.denials", "action", action).increment();
        audit.event("acl.denied").actor(actor(username)).target(safe(topic)).outcome(AuditEvent.Outcome.DENIED)
                .reason(action + " not allowed").detail("clientId", safe(clientId)).emit();
    }

    /** A username that is not a valid account name (so possibly hostile) is not echoed as an actor. */
    private static AuditEvent.Actor actor(String username) {
        return AccountName.tryParse(username)
                .map(n -> AuditEvent.Actor.user(n.value()))
                .orElse(AuditEvent.Actor.system("unidentified-client"));
    }

    /** Keeps control characters out of audit fields (they would forge lines in a SIEM feed). */
    private static String safe(String value) {
        if (value == null) {
            return null;
        }
        String cleaned = value.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return cleaned.length() > 200 ? cleaned.substring(0, 200) : cleaned;
    }

    /** A URL host for a bind address: "localhost" for the wildcard address (our certificates name it). */
    private static String hostForUrl(java.net.InetAddress host) {
        if (host.isAnyLocalAddress()) {
            return "localhost";
        }
        String h = host.getHostAddress();
        return h.contains(":") ? "[" + h + "]" : h;
    }

    /** The routes the HTTPS API serves (empty without the api role), for the check against the OpenAPI document. */
    java.util.Set<org.amtbus.acl.http.ApiServer.Route> apiRoutes() {
        return apiRoutes;
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    public AuditLog audit() {
        return audit;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (audit != null && endpoints != null) {
            audit.event("service.stopped").actor(AuditEvent.Actor.system(SERVICE_NAME)).emit();
        }
        while (!started.isEmpty()) {
            AutoCloseable part = started.pop();
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("event=node.stop-failed part={} reason={}", part.getClass().getSimpleName(), OneLine.of(e));
            }
        }
        LOG.info("event=node.stopped");
    }
}
