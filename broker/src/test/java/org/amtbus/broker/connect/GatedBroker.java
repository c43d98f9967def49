package org.amtbus.broker.connect;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.amtbus.acl.account.Account;
import org.amtbus.acl.account.AccountName;
import org.amtbus.acl.account.AccountStore;
import org.amtbus.acl.grant.GrantStore;
import org.amtbus.acl.level.AccessLoader;
import org.amtbus.acl.login.LoginResult;
import org.amtbus.acl.login.LoginThrottle;
import org.amtbus.acl.login.PasswordAuthenticator;
import org.amtbus.acl.password.PasswordHasher;
import org.amtbus.acl.token.BearerTokens;
import org.amtbus.acl.token.ExternalTokenVerifier;
import org.amtbus.acl.token.TokenService;
import org.amtbus.broker.BrokerConfig;
import org.amtbus.broker.MqttBroker;
import org.amtbus.broker.auth.LevelAuthorizer;
import org.amtbus.broker.auth.MqttLogin;
import org.amtbus.broker.auth.Principals;
import org.amtbus.platform.db.Database;
import org.amtbus.platform.secret.SealedFileSecretStore;
import org.amtbus.platform.testing.TestDirectories;
import org.amtbus.platform.tls.CertificateAuthority;
import org.amtbus.platform.tls.TlsContexts;
import org.amtbus.platform.tls.TlsPolicy;

/**
 * Test support: a real broker (Moquette over TLS 1.3 on loopback, random port) whose logins are checked by
 * {@link MqttLogin} against a real PostgreSQL, with real Argon2id, and a recording login listener.
 */
public final class GatedBroker implements AutoCloseable {

    /** One login decision as the listener saw it, with the thread that decided it. */
    record Decision(String username, LoginResult result, String source, String thread) {
    }

    final Database database;
    final AccountStore accounts;
    final PasswordHasher hasher = new PasswordHasher();
    final TokenService tokens;
    final List<Decision> decisions = new CopyOnWriteArrayList<>();
    private final CertificateAuthority ca;
    private final MqttBroker broker;
    private final SealedFileSecretStore secrets;

    GatedBroker(Database database, int addressFailures, Optional<ExternalTokenVerifier> external) {
        this(database, addressFailures, external, BrokerConfig.DEFAULT_SESSION_QUEUE_SIZE);
    }

    /** With {@code sessionQueueSize} commands per Moquette session loop ({@code broker.sessionQueueSize}). */
    public GatedBroker(Database database, int addressFailures, Optional<ExternalTokenVerifier> external, int sessionQueueSize) {
        this.database = database;
        Path dir = TestDirectories.newTemporary("amtbus-gate-");
        this.accounts = new AccountStore(database.dataSource());
        this.secrets = SealedFileSecretStore.open(dir.resolve("secrets"));
        this.tokens = TokenService.open(secrets, Clock.systemUTC());
        Clock clock = Clock.systemUTC();
        PasswordAuthenticator passwords = new PasswordAuthenticator(accounts, hasher,
                new LoginThrottle(5, Duration.ofMinutes(1), Duration.ofMinutes(5), clock),
                new LoginThrottle(addressFailures, Duration.ofMinutes(1), Duration.ofMinutes(5), clock));
        Principals principals = new Principals();
        MqttLogin login = new MqttLogin(passwords, new BearerTokens(tokens, external),
                new AccessLoader(accounts, new GrantStore(database.dataSource())), principals,
                (username, clientId, result, source) -> decisions.add(
                        new Decision(username, result, source, Thread.currentThread().getName())));
        this.ca = CertificateAuthority.loadOrCreate(dir.resolve("ca"), clock);
        var cert = ca.issueServer("broker", List.of("localhost"), List.of(InetAddress.getLoopbackAddress()), Duration.ofDays(1));
        BrokerConfig config = new BrokerConfig(InetAddress.getLoopbackAddress(), 0, InetAddress.getLoopbackAddress(),
                Optional.empty(), BrokerConfig.DEFAULT_MAX_MESSAGE_BYTES, BrokerConfig.DEFAULT_CONNECT_TIMEOUT,
                dir.resolve("broker"), BrokerConfig.DEFAULT_SESSION_EXPIRY, sessionQueueSize,
                org.amtbus.platform.tls.TlsProviderChoice.JDK);
        this.broker = new MqttBroker(config);
        broker.start(TlsContexts.serverContext(cert, TlsPolicy.MODERN, Optional.empty()), login,
                new LevelAuthorizer(principals, (action, topic, user, client) -> { }), List.of());
    }

    /** Creates an account with this password (real Argon2id). */
    public void addAccount(String name, String password, boolean superuser) {
        accounts.create(new Account(new AccountName(name), Account.Kind.USER, superuser, Instant.now()),
                hasher.hash(password.toCharArray()));
    }

    int port() {
        return broker.tlsPort();
    }

    javax.net.ssl.TrustManagerFactory trust() {
        return TlsContexts.trustManagerFactory(ca.certificate());
    }

    /** An MQTT 5 client over TLS 1.3 from {@code source} (any 127/8 address) to this broker. */
    public Mqtt5ClientBuilder client(String clientId, String source) {
        return MqttClient.builder().useMqttVersion5().identifier(clientId)
                .transportConfig().serverHost("127.0.0.1").serverPort(port()).localAddress(new java.net.InetSocketAddress(source, 0))
                .sslConfig().trustManagerFactory(trust()).protocols(List.of("TLSv1.3")).applySslConfig()
                .applyTransportConfig();
    }

    /** The decisions the listener saw for {@code username}. */
    List<Decision> decisionsOf(String username) {
        return decisions.stream().filter(d -> username.equals(d.username())).toList();
    }

    /** The broker itself (its counters). */
    public MqttBroker broker() {
        return broker;
    }

    @Override
    public void close() {
        broker.close();
        secrets.close();
    }
}
