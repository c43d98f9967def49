package org.amtbus.broker.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.amtbus.acl.login.LoginResult;
import org.amtbus.acl.token.ExternalIdentityProvider;
import org.amtbus.acl.token.ExternalTokenVerifier;
import org.amtbus.platform.db.Database;
import org.amtbus.platform.testing.SharedPostgres;
import org.amtbus.platform.testing.TestDirectories;
import org.amtbus.platform.tls.CertificateAuthority;
import org.amtbus.platform.tls.TlsContexts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MQTT logins through the connect gate, with real clients over TLS 1.3, real PostgreSQL and real Argon2id:
 * the check runs off the event loops, 50 concurrent logins do not stop a connected pair, failures lock the
 * source address, external identity provider tokens work as a password and forged ones do not, and a
 * database outage is answered "server unavailable". Each refusal test uses its own loopback source address,
 * so the address lockout of one cannot disturb another.
 */
class ConnectGateIT {

    private static final String ISSUER = "https://idp.test/realms/ops";
    private static final String AUDIENCE = "amtbus-mqtt-clients";
    private static final int ADDRESS_FAILURES = 5;
    private static final int BURST = 50;

    private static Database database;
    private static GatedBroker broker;
    private static HttpsServer idp;
    private static RSAKey idpKey;

    @BeforeAll
    static void start() throws Exception {
        idpKey = new RSAKeyGenerator(2048).keyID("idp-key-1").generate();
        SSLContext trust = startIdentityProvider();
        ExternalIdentityProvider provider = new ExternalIdentityProvider(
                URI.create("https://localhost:" + idp.getAddress().getPort() + "/certs"), ISSUER, AUDIENCE,
                "preferred_username", ExternalIdentityProvider.DEFAULT_ALGORITHMS, Duration.ofMinutes(5), Duration.ofSeconds(30));
        database = SharedPostgres.newDatabase().migrated();
        broker = new GatedBroker(database, ADDRESS_FAILURES,
                Optional.of(new ExternalTokenVerifier(provider, trust.getSocketFactory(), Clock.systemUTC())));
        broker.addAccount("admin", "admin has a long password", true);
        broker.addAccount("victim", "the victim's long password", false);
        broker.addAccount("olga", "olga's long password 1", false);
        for (int i = 0; i < BURST; i++) {
            broker.addAccount("burst-" + i, "burst password number " + i, false);
        }
    }

    private static SSLContext startIdentityProvider() throws Exception {
        byte[] jwks = new JWKSet(idpKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        var ca = CertificateAuthority.loadOrCreate(TestDirectories.newTemporary("amtbus-idp-"), Clock.systemUTC());
        idp = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        idp.setHttpsConfigurator(new HttpsConfigurator(TlsContexts.jdkServerContext(ca.issueServer("idp",
                List.of("localhost"), List.of(InetAddress.getLoopbackAddress()), Duration.ofDays(1)))));
        idp.createContext("/certs", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        idp.start();
        SSLContext trust = SSLContext.getInstance("TLS");
        trust.init(null, TlsContexts.trustManagerFactory(ca.certificate()).getTrustManagers(), null);
        return trust;
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
        if (database != null) {
            database.close();
        }
        if (idp != null) {
            idp.stop(0);
        }
    }

    @Test
    void checksTheCredentialsOffTheNettyEventLoops() {
        // given / when
        Mqtt5BlockingClient client = connected("olga", "olga's long password 1", "127.0.0.1");
        client.disconnect();

        // then the Argon2id check ran on a login thread, not on an I/O thread
        assertThat(broker.decisionsOf("olga")).isNotEmpty().allSatisfy(d -> {
            assertThat(d.thread()).startsWith("amtbus-mqtt-login-");
            assertThat(d.source()).isEqualTo("127.0.0.1");
        });
    }

    @Test
    void fiftyConcurrentLoginsAllSucceedWhileAConnectedPairKeepsExchangingMessages() throws Exception {
        // given a connected pair exchanging a message every few milliseconds
        Mqtt5BlockingClient subscriber = connected("admin", "admin has a long password", "127.0.0.1");
        Mqtt5BlockingClient publisher = connected("admin", "admin has a long password", "127.0.0.1");
        List<Long> received = new CopyOnWriteArrayList<>();
        subscriber.toAsync().subscribeWith().topicFilter("pair/ping").qos(MqttQos.AT_MOST_ONCE)
                .callback(p -> received.add(System.nanoTime())).send().get(10, TimeUnit.SECONDS);
        AtomicBoolean pinging = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        Thread pinger = Thread.ofPlatform().name("pinger").start(() -> {
            while (pinging.get()) {
                publisher.publishWith().topic("pair/ping").qos(MqttQos.AT_MOST_ONCE).payload(new byte[] {1}).send();
                sent.incrementAndGet();
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
        });
        try {
            // when 50 clients log in at once
            List<Mqtt5AsyncClient> clients = new ArrayList<>();
            List<CompletableFuture<Mqtt5ConnAck>> acks = new ArrayList<>();
            long burstStart = System.nanoTime();
            for (int i = 0; i < BURST; i++) {
                Mqtt5AsyncClient c = broker.client("burst-client-" + i, "127.0.0.1").simpleAuth().username("burst-" + i)
                        .password(("burst password number " + i).getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildAsync();
                clients.add(c);
                acks.add(c.connect());
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            long burstEnd = System.nanoTime();

            // then every login succeeded
            assertThat(acks).allSatisfy(a -> assertThat(a.join().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS));
            assertThat(broker.decisions.stream().filter(d -> d.username().startsWith("burst-") && d.result().isAccepted()))
                    .hasSizeGreaterThanOrEqualTo(BURST);
            // and the pair kept exchanging messages while the logins were being checked
            long duringBurst = received.stream().filter(t -> t >= burstStart && t <= burstEnd).count();
            assertThat(duringBurst).as("messages received during the %d ms burst",
                    TimeUnit.NANOSECONDS.toMillis(burstEnd - burstStart)).isPositive();
            for (Mqtt5AsyncClient c : clients) {
                c.disconnect().get(10, TimeUnit.SECONDS);
            }
        } finally {
            pinging.set(false);
            pinger.join(10_000);
            subscriber.disconnect();
            publisher.disconnect();
        }
        assertThat(sent.get()).isPositive();
    }

    @Test
    void failuresFromOneAddressLockItAndTheRightPasswordIsRefusedFromThere() {
        // given failed logins from 127.0.0.2 for names that are not the victim (its account lock stays untouched)
        for (int i = 0; i < ADDRESS_FAILURES; i++) {
            assertRefused(broker.client("guess-" + i, "127.0.0.2").simpleAuth().username("nobody-" + i)
                    .password("wrong".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking());
        }
        assertThat(broker.decisions).anyMatch(d -> d.result().addressLockStarted() && "127.0.0.2".equals(d.source()));

        // when the victim logs in with the right password from the locked address
        assertRefused(broker.client("victim-1", "127.0.0.2").simpleAuth().username("victim")
                .password("the victim's long password".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking());

        // then it was refused because of the address, with the same answer as a wrong password
        assertThat(broker.decisionsOf("victim")).last().satisfies(d -> {
            assertThat(d.result().reason()).isEqualTo(LoginResult.Reason.SOURCE_LOCKED_OUT);
            assertThat(d.source()).isEqualTo("127.0.0.2");
        });
        // and from another address the same credentials get in
        connected("victim", "the victim's long password", "127.0.0.1").disconnect();
    }

    @Test
    void acceptsATokenOfTheExternalIdentityProviderAsPassword() throws Exception {
        Mqtt5BlockingClient client = connected("olga", idpToken(idpKey, JWSAlgorithm.RS256, "olga", AUDIENCE, ISSUER,
                Instant.now().plusSeconds(300)), "127.0.0.1");
        client.disconnect();
        assertThat(broker.decisionsOf("olga")).last().satisfies(d -> assertThat(d.result().isAccepted()).isTrue());
    }

    @Test
    void refusesForgedStaleAndMisdirectedExternalTokens() throws Exception {
        RSAKey otherKey = new RSAKeyGenerator(2048).keyID("idp-key-1").generate();
        Instant later = Instant.now().plusSeconds(300);
        String unsigned = new PlainJWT(claims("olga", AUDIENCE, ISSUER, later)).serialize();
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("idp-key-1").build(),
                claims("olga", AUDIENCE, ISSUER, later));
        hmac.sign(new MACSigner(new byte[32 + 1]));
        List<String> attacks = List.of(
                unsigned,                                                                     // alg: none
                hmac.serialize(),                                                             // HMAC
                idpToken(otherKey, JWSAlgorithm.RS256, "olga", AUDIENCE, ISSUER, later),      // wrong key
                idpToken(idpKey, JWSAlgorithm.RS256, "olga", AUDIENCE, ISSUER, Instant.now().minusSeconds(600)), // expired
                idpToken(idpKey, JWSAlgorithm.RS256, "olga", "someone-else", ISSUER, later),  // wrong audience
                idpToken(idpKey, JWSAlgorithm.RS256, "olga", AUDIENCE, "https://evil.test", later), // wrong issuer
                idpToken(idpKey, JWSAlgorithm.RS256, "admin", AUDIENCE, ISSUER, later));      // names another account
        for (int i = 0; i < attacks.size(); i++) {
            String source = "127.0.1." + (i + 1); // one address per attack: refused tokens count against the address
            assertRefused(broker.client("attack-" + i, source).simpleAuth().username("olga")
                    .password(attacks.get(i).getBytes(StandardCharsets.US_ASCII)).applySimpleAuth().buildBlocking());
            assertThat(broker.decisions).filteredOn(d -> source.equals(d.source())).singleElement()
                    .satisfies(d -> assertThat(d.result().reason()).isEqualTo(LoginResult.Reason.TOKEN_REFUSED));
        }
    }

    @Test
    void answersACONNECTPipelinedWithSubscribeAndPublishInOrder() throws Exception {
        // given one TLS write carrying CONNECT, SUBSCRIBE and PUBLISH (MQTT 3.1.1), before any answer
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, broker.trust().getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", broker.port())) {
            socket.setSoTimeout(20_000);
            socket.startHandshake();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(connect("pipelined", "admin", "admin has a long password"));
            out.writeBytes(new byte[] {(byte) 0x82, 10, 0, 1, 0, 5, 'p', '/', 'o', 'n', 'e', 0});
            out.writeBytes(new byte[] {0x30, 9, 0, 5, 'p', '/', 'o', 'n', 'e', 'h', 'i'});
            socket.getOutputStream().write(out.toByteArray());
            socket.getOutputStream().flush();

            // then CONNACK (accepted), SUBACK (granted) and the message itself come back, in that order
            InputStream in = socket.getInputStream();
            assertThat(readPacket(in)).startsWith(0x20, 2, 0, 0);
            assertThat(readPacket(in)).startsWith(0x90, 3, 0, 1, 0);
            byte[] publish = readPacket(in);
            assertThat(publish[0] & 0xF0).isEqualTo(0x30);
            assertThat(new String(publish, StandardCharsets.US_ASCII)).endsWith("p/onehi");
        }
    }

    @Test
    void answersServerUnavailableWhileTheAccountStoreIsDown() {
        // given a broker whose account store has gone away
        Database gone = SharedPostgres.newDatabase().migrated();
        try (GatedBroker orphan = new GatedBroker(gone, 1000, Optional.empty())) {
            orphan.addAccount("admin", "admin has a long password", true);
            gone.close();

            // when a client logs in (MQTT 5 and MQTT 3.1.1)
            Mqtt5BlockingClient v5 = orphan.client("during-outage", "127.0.0.1").simpleAuth().username("admin")
                    .password("admin has a long password".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
            var v3 = com.hivemq.client.mqtt.MqttClient.builder().useMqttVersion3().identifier("during-outage-3")
                    .serverHost("127.0.0.1").serverPort(orphan.port())
                    .sslConfig().trustManagerFactory(orphan.trust()).protocols(List.of("TLSv1.3")).applySslConfig()
                    .simpleAuth().username("admin").password("admin has a long password".getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth().buildBlocking();

            // then it is told the server is unavailable, not that its password is wrong
            assertThatThrownBy(v5::connect).isInstanceOfSatisfying(Mqtt5ConnAckException.class,
                    e -> assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE));
            assertThatThrownBy(v3::connect).isInstanceOfSatisfying(
                    com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException.class,
                    e -> assertThat(e.getMqttMessage().getReturnCode())
                            .isEqualTo(com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode.SERVER_UNAVAILABLE));
            assertThat(orphan.decisionsOf("admin")).isNotEmpty().allSatisfy(d ->
                    assertThat(d.result().reason()).isEqualTo(LoginResult.Reason.STORE_UNAVAILABLE));
        }
    }

    private static Mqtt5BlockingClient connected(String username, String password, String source) {
        Mqtt5BlockingClient client = broker.client("c-" + java.util.UUID.randomUUID().toString().substring(0, 8), source)
                .simpleAuth().username(username).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .buildBlocking();
        client.connect();
        return client;
    }

    private static void assertRefused(Mqtt5BlockingClient client) {
        assertThatThrownBy(client::connect).isInstanceOfSatisfying(Mqtt5ConnAckException.class,
                e -> assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD));
    }

    private static JWTClaimsSet claims(String account, String audience, String issuer, Instant expiry) {
        return new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject("idp-subject-1")
                .claim("preferred_username", account).issueTime(new Date()).expirationTime(Date.from(expiry)).build();
    }

    private static String idpToken(RSAKey key, JWSAlgorithm alg, String account, String audience, String issuer,
                                   Instant expiry) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(),
                claims(account, audience, issuer, expiry));
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    /** An MQTT 3.1.1 CONNECT with clean session, username and password. */
    private static byte[] connect(String clientId, String username, String password) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, (byte) 0xC2, 0, 60});
        for (String s : List.of(clientId, username, password)) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            body.write(b.length >> 8);
            body.write(b.length & 0xFF);
            body.writeBytes(b);
        }
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x10);
        packet.write(body.size()); // < 128: one length byte
        packet.writeBytes(body.toByteArray());
        return packet.toByteArray();
    }

    /** One MQTT packet (fixed header included), with a remaining length below 128. */
    private static byte[] readPacket(InputStream in) throws java.io.IOException {
        int type = in.read();
        int length = in.read();
        assertThat(type).isNotNegative();
        assertThat(length).isBetween(0, 127);
        byte[] packet = new byte[2 + length];
        packet[0] = (byte) type;
        packet[1] = (byte) length;
        int read = in.readNBytes(packet, 2, length);
        assertThat(read).isEqualTo(length);
        return packet;
    }
}
