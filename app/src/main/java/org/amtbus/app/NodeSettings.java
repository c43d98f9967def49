package org.amtbus.app;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.amtbus.broker.BrokerConfig;
import org.amtbus.platform.config.ConfigException;
import org.amtbus.platform.config.Settings;
import org.amtbus.platform.db.DatabaseConfig;
import org.amtbus.platform.db.EmbeddedPostgres;
import org.amtbus.platform.kafka.EmbeddedKafka;
import org.amtbus.platform.kafka.KafkaConfig;

/**
 * The validated settings of an all-in-one node, read once at start from {@code amtbus.yaml} and
 * {@code AMTBUS_*} environment overrides. Every key is documented in docs/configuration.md.
 */
public record NodeSettings(Path dataDir, String nodeId, BrokerConfig broker, DatabaseConfig database, int kafkaPort,
                           List<String> tlsDnsNames, List<InetAddress> tlsIpAddresses, InetAddress metricsHost,
                           int metricsPort, Optional<KafkaConfig> externalKafka, short kafkaReplicationFactor,
                           Lockout lockout, InetAddress apiHost, int apiPort, Cira cira, Router router,
                           java.util.Set<Role> roles, boolean sharedEmbeddedDatabase,
                           Optional<org.amtbus.platform.secret.VaultSecretStore.Config> vault, Api api, AuditSettings audit,
                           int provisioningMaxConcurrent, java.time.Duration provisioningRunLease) {

    /**
     * The HTTPS API beyond go-auth: whether {@code POST /api/v1/authorize} issues tokens, their lifetime, and an
     * external identity provider whose tokens are accepted.
     */
    public record Api(boolean authorizeEnabled, java.time.Duration tokenTtl,
                      Optional<org.amtbus.acl.token.ExternalIdentityProvider> identityProvider) {
    }

    /** Whether this process runs {@code role}. */
    public boolean runs(Role role) {
        return roles.contains(role);
    }

    /** The same settings with other roles (the {@code --roles} option wins over {@code app.roles}). */
    NodeSettings withRoles(java.util.Set<Role> other) {
        return new NodeSettings(dataDir, nodeId, broker, database, kafkaPort, tlsDnsNames, tlsIpAddresses, metricsHost,
                metricsPort, externalKafka, kafkaReplicationFactor, lockout, apiHost, apiPort, cira, router,
                java.util.Set.copyOf(other), sharedEmbeddedDatabase, vault, api, audit,
                provisioningMaxConcurrent, provisioningRunLease);
    }

    /** The CIRA listener of the gateway role; {@code gatewayId} names its Kafka topic and its leases. */
    public record Cira(InetAddress host, int port, org.amtbus.schemas.model.GatewayId gatewayId,
                       java.time.Duration leaseTime, org.amtbus.gateway.cira.CiraServer.Limits limits,
                       org.amtbus.platform.tls.TlsProviderChoice tlsProvider) {
    }

    /** The command router: how long a forwarded command waits for its result, and the ttl of a command without one. */
    public record Router(java.time.Duration resultDeadline, int defaultTtlSeconds) {
    }

    /**
     * Brute-force lockout: after {@code failures} wrong passwords for an account, or {@code addressFailures}
     * failed logins from one source address (IPv6: one /64), lock for {@code base}, doubling up to {@code max}.
     */
    public record Lockout(int failures, java.time.Duration base, java.time.Duration max, int addressFailures) {
        public org.amtbus.acl.login.LoginThrottle throttle(java.time.Clock clock) {
            return new org.amtbus.acl.login.LoginThrottle(failures, base, max, clock);
        }

        /** The per-address throttle, shared by MQTT and HTTPS logins. */
        public org.amtbus.acl.login.LoginThrottle addressThrottle(java.time.Clock clock) {
            return new org.amtbus.acl.login.LoginThrottle(addressFailures, base, max, clock);
        }
    }

    /** Where an external PostgreSQL's password is kept (never in the file or the environment). */
    public static final org.amtbus.platform.secret.SecretName DATABASE_PASSWORD =
            new org.amtbus.platform.secret.SecretName("database/password");

    public boolean embeddedKafka() {
        return externalKafka.isEmpty();
    }

    public static final String CONFIG_FILE = "amtbus.yaml";
    public static final int DEFAULT_API_PORT = 8443;
    private static final Pattern NODE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern DNS_NAME = Pattern.compile("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    /** Reads the settings; a bad value ends the start with one line naming it (exit code 2). */
    public static NodeSettings load(Path dataDir, Path configFile) {
        Optional<Path> file = Optional.ofNullable(configFile);
        if (file.isEmpty() && Files.isRegularFile(dataDir.resolve(CONFIG_FILE))) {
            file = Optional.of(dataDir.resolve(CONFIG_FILE));
        }
        try {
            Settings s = Settings.load(file, System.getenv());
            NodeSettings settings = from(dataDir, s);
            s.rejectUnknownKeys();
            return settings;
        } catch (ConfigException | IllegalArgumentException e) {
            throw new StartupException(StartupException.CONFIGURATION, OneLine.of(e));
        }
    }

    static NodeSettings from(Path dataDir, Settings s) {
        String nodeId = s.string("app.nodeId", "node-1", NODE_ID, "a node id of lowercase letters, digits and '-'");
        // one session store per broker process, so several brokers may share a data directory on one machine
        BrokerConfig defaults = BrokerConfig.defaults(nodeId.equals("node-1") ? dataDir.resolve("broker")
                : dataDir.resolve("broker-" + nodeId));
        Optional<Integer> plainPort = s.bool("broker.plain.enabled", false)
                ? Optional.of(s.port("broker.plain.port", 1883, true)) : Optional.empty();
        BrokerConfig broker = new BrokerConfig(
                s.address("broker.mqtt.host", defaults.host()),
                s.port("broker.mqtt.port", BrokerConfig.DEFAULT_PORT, true),
                s.address("broker.plain.host", InetAddress.getLoopbackAddress()),
                plainPort,
                s.intIn("broker.maxMessageBytes", BrokerConfig.DEFAULT_MAX_MESSAGE_BYTES,
                        BrokerConfig.MIN_MAX_MESSAGE_BYTES, BrokerConfig.MAX_MAX_MESSAGE_BYTES),
                s.duration("broker.connectTimeout", BrokerConfig.DEFAULT_CONNECT_TIMEOUT,
                        java.time.Duration.ofSeconds(1), java.time.Duration.ofMinutes(5)),
                defaults.dataDir(),
                s.duration("broker.sessionExpiry", BrokerConfig.DEFAULT_SESSION_EXPIRY,
                        java.time.Duration.ofHours(1), java.time.Duration.ofDays(365)),
                s.intIn("broker.sessionQueueSize", BrokerConfig.DEFAULT_SESSION_QUEUE_SIZE, BrokerConfig.MIN_SESSION_QUEUE_SIZE, 1_000_000),
                tlsProvider(s, "broker.tlsProvider"));
        DatabaseConfig database = database(s);
        int kafkaPort = s.port("kafka.port", EmbeddedKafka.DEFAULT_PORT, true);
        Optional<KafkaConfig> externalKafka = s.raw("kafka.bootstrapServers").map(servers -> {
            Optional<Path> ca = s.raw("kafka.tls.caFile").map(Path::of);
            ca.ifPresent(f -> {
                if (!Files.isReadable(f)) {
                    throw new ConfigException("kafka.tls.caFile: " + f + " is not a readable file");
                }
            });
            try {
                return new KafkaConfig(servers, "amtbus-" + nodeId, ca);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
        });
        short replicationFactor = (short) s.intIn("kafka.replicationFactor", externalKafka.isPresent() ? 3 : 1, 1, 5);
        List<String> dns = new ArrayList<>(s.list("tls.dnsNames", defaultDnsNames()));
        for (String name : dns) {
            if (!DNS_NAME.matcher(name).matches()) {
                throw new ConfigException("tls.dnsNames: '" + name + "' is not a DNS name");
            }
        }
        List<InetAddress> ips = new ArrayList<>();
        for (String ip : s.list("tls.ipAddresses", List.of("127.0.0.1", "::1"))) {
            ips.add(Settings.ipLiteral(ip).orElseThrow(
                    () -> new ConfigException("tls.ipAddresses: '" + ip + "' is not an IP address")));
        }
        InetAddress metricsHost = s.address("metrics.host", InetAddress.getLoopbackAddress());
        int metricsPort = s.port("metrics.port", org.amtbus.platform.metrics.MetricsServer.DEFAULT_PORT, true);
        java.time.Duration lockBase = s.duration("acl.lockout.base", org.amtbus.acl.login.LoginThrottle.DEFAULT_BASE_LOCK,
                java.time.Duration.ofSeconds(1), java.time.Duration.ofHours(1));
        Lockout lockout = new Lockout(
                s.intIn("acl.lockout.failures", org.amtbus.acl.login.LoginThrottle.DEFAULT_THRESHOLD, 1, 100),
                lockBase,
                s.duration("acl.lockout.max", org.amtbus.acl.login.LoginThrottle.DEFAULT_MAX_LOCK, lockBase, java.time.Duration.ofDays(1)),
                s.intIn("acl.lockout.addressFailures", org.amtbus.acl.login.PasswordAuthenticator.DEFAULT_ADDRESS_THRESHOLD, 1, 10_000));
        InetAddress apiHost = s.address("api.host", defaults.host());
        int apiPort = s.port("api.port", DEFAULT_API_PORT, true);
        Cira cira = new Cira(s.address("cira.host", defaults.host()), s.port("cira.port", 4433, true),
                new org.amtbus.schemas.model.GatewayId(s.string("cira.gatewayId", nodeId, NODE_ID,
                        "a gateway id of lowercase letters, digits and '-'")),
                s.duration("cira.leaseTime", java.time.Duration.ofSeconds(15), java.time.Duration.ofSeconds(3),
                        java.time.Duration.ofMinutes(5)),
                new org.amtbus.gateway.cira.CiraServer.Limits(
                        s.duration("cira.idleTimeout", java.time.Duration.ofSeconds(90), java.time.Duration.ofSeconds(5),
                                java.time.Duration.ofMinutes(10)),
                        s.duration("cira.handshakeTimeout", java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(1),
                                java.time.Duration.ofMinutes(1)),
                        s.duration("cira.authTimeout", java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(2),
                                java.time.Duration.ofMinutes(5)),
                        s.intIn("cira.maxConnections", 50_000, 1, 1_000_000),
                        s.intIn("cira.maxConnectionsPerAddress", 1_000, 1, 1_000_000),
                        s.intIn("cira.backlog", 4096, 16, 65_535),
                        s.intIn("cira.maxConcurrentLogins", org.amtbus.gateway.cira.CiraServer.Limits.DEFAULT_CONCURRENT_LOGINS,
                                1, 100_000),
                        s.intIn("cira.maxWaitingLogins", org.amtbus.gateway.cira.CiraServer.Limits.DEFAULT_WAITING_LOGINS,
                                0, 1_000_000),
                        s.duration("cira.loginQueueWait", org.amtbus.gateway.cira.CiraServer.Limits.DEFAULT_LOGIN_QUEUE_WAIT,
                                java.time.Duration.ofMillis(100), java.time.Duration.ofMinutes(5))),
                tlsProvider(s, "cira.tlsProvider"));
        Router router = new Router(s.duration("router.resultDeadline", java.time.Duration.ofSeconds(120),
                java.time.Duration.ofSeconds(5), java.time.Duration.ofHours(1)),
                s.intIn("router.defaultTtlSeconds", 300, 1, org.amtbus.schemas.model.Command.MAX_TTL_SECONDS));
        java.util.Set<Role> roles;
        try {
            roles = Role.parse(s.list("app.roles", List.of("all")));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("app.roles: " + e.getMessage());
        }
        boolean shared = s.bool("database.embeddedShared", false);
        if (shared && database.mode() != DatabaseConfig.Mode.EMBEDDED) {
            throw new ConfigException("database.embeddedShared: only without database.url");
        }
        return new NodeSettings(dataDir, nodeId, broker, database, kafkaPort, List.copyOf(dns), List.copyOf(ips),
                metricsHost, metricsPort, externalKafka, replicationFactor, lockout, apiHost, apiPort, cira, router,
                java.util.Set.copyOf(roles), shared, vault(s), api(s), AuditSettings.from(s),
                s.intIn("provisioning.maxConcurrent", 4, 1, 256),
                s.duration("provisioning.runLease", org.amtbus.provisioning.ProvisioningRole.Settings.DEFAULT_RUN_LEASE,
                        java.time.Duration.ofSeconds(2), java.time.Duration.ofHours(1)));
    }

    private static org.amtbus.platform.tls.TlsProviderChoice tlsProvider(Settings s, String key) {
        String value = s.raw(key).orElse("auto");
        try {
            return org.amtbus.platform.tls.TlsProviderChoice.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": " + e.getMessage());
        }
    }

    private static Api api(Settings s) {
        Optional<org.amtbus.acl.token.ExternalIdentityProvider> idp = s.raw("api.idp.jwksUrl").map(url -> {
            try {
                return new org.amtbus.acl.token.ExternalIdentityProvider(java.net.URI.create(url),
                        s.raw("api.idp.issuer").orElseThrow(() -> new ConfigException("api.idp.issuer: required with api.idp.jwksUrl")),
                        s.raw("api.idp.audience").orElseThrow(() -> new ConfigException("api.idp.audience: required with api.idp.jwksUrl")),
                        s.string("api.idp.accountClaim", org.amtbus.acl.token.ExternalIdentityProvider.DEFAULT_ACCOUNT_CLAIM,
                                Pattern.compile("[A-Za-z_][A-Za-z0-9_.:-]{0,63}"), "a claim name"),
                        org.amtbus.acl.token.ExternalIdentityProvider.DEFAULT_ALGORITHMS,
                        org.amtbus.acl.token.ExternalIdentityProvider.DEFAULT_CACHE_TTL,
                        org.amtbus.acl.token.ExternalIdentityProvider.DEFAULT_MIN_REFRESH_INTERVAL);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("api.idp: " + e.getMessage());
            }
        });
        return new Api(s.bool("api.authorize.enabled", true),
                s.duration("api.token.ttl", java.time.Duration.ofMinutes(15), java.time.Duration.ofMinutes(1),
                        java.time.Duration.ofHours(24)), idp);
    }

    /** {@code secrets.backend: vault} and its settings; the credential itself is only ever a file's path. */
    private static Optional<org.amtbus.platform.secret.VaultSecretStore.Config> vault(Settings s) {
        String backend = s.string("secrets.backend", "sealed", Pattern.compile("sealed|vault"), "sealed or vault");
        if (backend.equals("sealed")) {
            return Optional.empty();
        }
        String address = s.raw("secrets.vault.address").orElseThrow(
                () -> new ConfigException("secrets.vault.address: required with secrets.backend: vault"));
        String auth = s.string("secrets.vault.auth", "token", Pattern.compile("token|approle"), "token or approle");
        org.amtbus.platform.secret.VaultSecretStore.Auth credential = auth.equals("token")
                ? new org.amtbus.platform.secret.VaultSecretStore.Auth.Token(Path.of(s.raw("secrets.vault.tokenFile")
                        .orElseThrow(() -> new ConfigException("secrets.vault.tokenFile: required with secrets.vault.auth: token"))))
                : new org.amtbus.platform.secret.VaultSecretStore.Auth.AppRole(
                        s.raw("secrets.vault.roleId").orElseThrow(
                                () -> new ConfigException("secrets.vault.roleId: required with secrets.vault.auth: approle")),
                        Path.of(s.raw("secrets.vault.secretIdFile").orElseThrow(() -> new ConfigException(
                                "secrets.vault.secretIdFile: required with secrets.vault.auth: approle"))),
                        s.string("secrets.vault.appRolePath", "approle", Pattern.compile("[a-z0-9][a-z0-9/_-]{0,63}"),
                                "an auth mount path"));
        try {
            return Optional.of(new org.amtbus.platform.secret.VaultSecretStore.Config(java.net.URI.create(address),
                    s.string("secrets.vault.mount", "secret", Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}"), "a mount name"),
                    s.string("secrets.vault.prefix", "amtbus", Pattern.compile("[a-z0-9][a-z0-9._/-]{0,255}"), "a path"),
                    credential, s.raw("secrets.vault.caFile").map(Path::of)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("secrets.vault: " + e.getMessage());
        }
    }

    /**
     * Embedded unless {@code database.url} names an external server; then {@code database.user} is required,
     * and a server beyond loopback must be reached with {@code sslmode=verify-full}.
     */
    private static DatabaseConfig database(Settings s) {
        int poolSize = s.intIn("database.poolSize", DatabaseConfig.DEFAULT_POOL_SIZE, DatabaseConfig.MIN_POOL_SIZE,
                DatabaseConfig.MAX_POOL_SIZE);
        Optional<String> url = s.raw("database.url");
        if (url.isEmpty()) {
            return DatabaseConfig.embedded(s.port("database.port", EmbeddedPostgres.DEFAULT_PORT, true)).withPoolSize(poolSize);
        }
        String u = url.get();
        if (!u.startsWith("jdbc:postgresql://")) {
            throw new ConfigException("database.url: must start with jdbc:postgresql://");
        }
        String hostPart = u.substring("jdbc:postgresql://".length()).split("[/:?]", 2)[0];
        boolean loopback = hostPart.equals("localhost") || hostPart.startsWith("127.") || hostPart.equals("[::1]");
        if (!loopback && !u.matches(".*[?&]sslmode=verify-full(&.*)?$")) {
            throw new ConfigException("database.url: a PostgreSQL beyond loopback must be reached with sslmode=verify-full");
        }
        String user = s.string("database.user", null, Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}"), "a PostgreSQL role name");
        if (user == null) {
            throw new ConfigException("database.user: required when database.url is set");
        }
        try {
            return DatabaseConfig.external(u, user).withPoolSize(poolSize);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static List<String> defaultDnsNames() {
        List<String> names = new ArrayList<>(List.of("localhost"));
        try {
            String host = InetAddress.getLocalHost().getHostName();
            if (host != null && !host.equals("localhost") && DNS_NAME.matcher(host).matches()) {
                names.add(host);
            }
        } catch (UnknownHostException e) {
            // no resolvable host name: localhost and the IP SANs still work
        }
        return names;
    }
}
