package org.amtbus.acl.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.amtbus.acl.account.AccountStore;
import org.amtbus.acl.admin.AccountAdmin;
import org.amtbus.acl.change.AclChanges;
import org.amtbus.acl.grant.GrantStore;
import org.amtbus.acl.level.AccessLoader;
import org.amtbus.acl.login.LoginThrottle;
import org.amtbus.acl.login.PasswordAuthenticator;
import org.amtbus.acl.password.PasswordHasher;
import org.amtbus.acl.password.PasswordPolicy;
import org.amtbus.acl.token.BearerTokens;
import org.amtbus.acl.token.ExternalTokenVerifier;
import org.amtbus.acl.token.TokenService;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.platform.db.Database;
import org.amtbus.platform.device.DeviceEnrollment;
import org.amtbus.platform.device.DeviceRegistry;
import org.amtbus.platform.device.DeviceSecrets;
import org.amtbus.platform.secret.SealedFileSecretStore;
import org.amtbus.platform.testing.SharedPostgres;
import org.amtbus.platform.testing.TestDirectories;
import org.amtbus.platform.tls.CertificateAuthority;
import org.amtbus.platform.tls.IssuedCertificate;
import org.amtbus.platform.tls.TlsContexts;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.AuditEvent.Actor;
import org.amtbus.schemas.topic.KafkaTopics;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A real acl-service HTTPS listener for tests: go-auth and admin routes on one TLS 1.3 server, a fresh
 * migrated PostgreSQL database, a sealed secret store, a CA of its own; audit events and access
 * changes go to in-memory producers the test can read. One per test class; close it after.
 */
final class ApiFixture implements AutoCloseable {

    static final String ADMIN = "root-admin";
    static final String ADMIN_PASSWORD = "granite falcon harbor 42";

    final Path dir = TestDirectories.newTemporary("amtbus-api-");
    final Database database = SharedPostgres.newDatabase().migrated();
    final SealedFileSecretStore secrets = SealedFileSecretStore.open(dir.resolve("secrets"));
    final CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir.resolve("tls"), Clock.systemUTC());
    final MockProducer<String, byte[]> auditProducer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    final MockProducer<String, byte[]> changeProducer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    final AuditLog audit = new AuditLog(auditProducer, Clock.systemUTC(), "acl-test");
    final AccountStore accounts = new AccountStore(database.dataSource());
    final GrantStore grants = new GrantStore(database.dataSource());
    final AccessLoader access = new AccessLoader(accounts, grants);
    final PasswordHasher hasher = new PasswordHasher(1024, 1, 1, new SecureRandom());
    final AccountAdmin admin = new AccountAdmin(accounts, grants, hasher, new PasswordPolicy(), audit,
            new AclChanges(changeProducer), Clock.systemUTC());
    final TokenService tokens = TokenService.open(secrets, Clock.systemUTC());
    final PasswordAuthenticator passwords;
    final DeviceSecrets deviceSecrets = new DeviceSecrets(secrets);
    final ApiServer server;
    final HttpClient client;
    final ObjectMapper json = Json.newMapper();

    ApiFixture() {
        this(new LoginThrottle(5, Duration.ofMinutes(1), Duration.ofMinutes(5), Clock.systemUTC()),
                new LoginThrottle(1000, Duration.ofMinutes(1), Duration.ofMinutes(5), Clock.systemUTC()),
                AdminApi.Settings.defaults(), Optional.empty());
    }

    ApiFixture(LoginThrottle accountThrottle, LoginThrottle addressThrottle, AdminApi.Settings settings,
               Optional<ExternalTokenVerifier> external) {
        passwords = new PasswordAuthenticator(accounts, hasher, accountThrottle, addressThrottle);
        IssuedCertificate cert = ca.issueServer("api", List.of("localhost"), List.of(InetAddress.getLoopbackAddress()),
                Duration.ofDays(1));
        server = ApiServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), TlsContexts.jdkServerContext(cert));
        GoAuthApi.mount(server, passwords, access, new GoAuthApi.Listener() {
            @Override
            public void login(String username, String clientId, org.amtbus.acl.login.LoginResult result, String source) {
            }

            @Override
            public void denied(String action, String topic, String username, String clientId, String source) {
            }
        });
        AdminApi.Services services = new AdminApi.Services(accounts, admin, passwords, tokens,
                new BearerTokens(tokens, external), new DeviceEnrollment(new DeviceRegistry(database.dataSource()),
                deviceSecrets, audit, Clock.systemUTC()), new DeviceRegistry(database.dataSource()), audit, Clock.systemUTC());
        AdminApi.mount(server, settings, services);
        AdminApi.mountEnrollmentTokens(server, services, new org.amtbus.acl.enrollment.EnrollmentTokens(database.dataSource(),
                audit, Clock.systemUTC()));
        admin.addUser(ADMIN, ADMIN_PASSWORD.toCharArray(), true, Actor.system("test"));
        client = client(ca);
    }

    static HttpClient client(CertificateAuthority ca) {
        try {
            SSLContext tls = SSLContext.getInstance("TLSv1.3");
            tls.init(null, TlsContexts.trustManagerFactory(ca.certificate()).getTrustManagers(), null);
            SSLParameters params = new SSLParameters();
            params.setProtocols(new String[] {"TLSv1.3"});
            return HttpClient.newBuilder().sslContext(tls).sslParameters(params).build();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    URI uri(String pathAndQuery) {
        return URI.create("https://localhost:" + server.port() + pathAndQuery);
    }

    /** Sends a request; {@code body} JSON when it starts with '{', a form otherwise; null for none. */
    HttpResponse<String> send(String method, String pathAndQuery, String token, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", body.startsWith("{") ? "application/json" : "application/x-www-form-urlencoded");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode body(HttpResponse<String> response) {
        try {
            return json.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    String adminToken() {
        return tokens.issue(new org.amtbus.acl.account.AccountName(ADMIN), Duration.ofMinutes(5));
    }

    /** A user without admin role, and a token of it. */
    String userToken(String name, String password) {
        if (accounts.find(new org.amtbus.acl.account.AccountName(name)).isEmpty()) {
            admin.addUser(name, password.toCharArray(), false, Actor.system("test"));
        }
        return tokens.issue(new org.amtbus.acl.account.AccountName(name), Duration.ofMinutes(5));
    }

    List<AuditEvent> auditEvents() {
        return auditProducer.history().stream().filter(r -> r.topic().equals(KafkaTopics.AUDIT)).map(r -> {
            try {
                return Json.read(r.value(), AuditEvent.class);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    /** Every byte the audit trail and the access-change topic received, as text (for secret scans). */
    String everythingPublished() {
        StringBuilder all = new StringBuilder();
        auditProducer.history().forEach(r -> all.append(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)).append('\n'));
        changeProducer.history().forEach(r -> all.append(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)).append('\n'));
        return all.toString();
    }

    void assertAudited(String type, java.util.function.Predicate<AuditEvent> match) {
        assertThat(auditEvents()).as("audit events of type " + type).anyMatch(e -> e.type().equals(type) && match.test(e));
    }

    @Override
    public void close() {
        server.close();
        secrets.close();
        database.close();
        TestDirectories.deleteRecursively(dir);
    }
}
