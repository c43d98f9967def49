package org.amtbus.acl.http;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.amtbus.acl.account.Account;
import org.amtbus.acl.login.LoginThrottle;
import org.amtbus.acl.token.ExternalIdentityProvider;
import org.amtbus.acl.token.ExternalTokenVerifier;
import org.amtbus.platform.tls.TlsContexts;
import org.amtbus.schemas.model.AuditEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tokens of an external identity provider: its JWKS is served by a local HTTPS server; a claim names
 * the amtbus account, whose role decides. Forged, stale and misdirected tokens are refused, and a flood
 * of unknown key ids does not become a flood of JWKS fetches.
 */
class ExternalIdentityProviderIT {

    private static final String ISSUER = "https://idp.test/realms/ops";
    private static final String AUDIENCE = "amtbus-admin";
    private static ApiFixture api;
    private static HttpsServer idp;
    private static RSAKey key;
    private static final AtomicInteger FETCHES = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("idp-key-1").generate();
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        var ca = org.amtbus.platform.tls.CertificateAuthority.loadOrCreate(
                org.amtbus.platform.testing.TestDirectories.newTemporary("amtbus-idp-"), Clock.systemUTC());
        SSLContext tls = TlsContexts.jdkServerContext(ca.issueServer("idp", List.of("localhost"),
                List.of(InetAddress.getLoopbackAddress()), Duration.ofDays(1)));
        idp = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        idp.setHttpsConfigurator(new HttpsConfigurator(tls));
        idp.createContext("/certs", exchange -> {
            FETCHES.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        idp.start();
        SSLContext trust = SSLContext.getInstance("TLS");
        trust.init(null, TlsContexts.trustManagerFactory(ca.certificate()).getTrustManagers(), null);
        ExternalIdentityProvider provider = new ExternalIdentityProvider(
                URI.create("https://localhost:" + idp.getAddress().getPort() + "/certs"), ISSUER, AUDIENCE,
                "preferred_username", ExternalIdentityProvider.DEFAULT_ALGORITHMS, Duration.ofMinutes(5), Duration.ofSeconds(30));
        api = new ApiFixture(new LoginThrottle(5, Duration.ofMinutes(1), Duration.ofMinutes(5), Clock.systemUTC()),
                new LoginThrottle(1000, Duration.ofMinutes(1), Duration.ofMinutes(5), Clock.systemUTC()),
                AdminApi.Settings.defaults(),
                Optional.of(new ExternalTokenVerifier(provider, trust.getSocketFactory(), Clock.systemUTC())));
        api.admin.addAccount("olga", Account.Kind.USER, "olga is an operator 1".replace("olga", "she").toCharArray(), true,
                Optional.empty(), AuditEvent.Actor.system("test"));
        api.userToken("pete", "a modest reader 2024");
    }

    @AfterAll
    static void stop() {
        api.close();
        idp.stop(0);
    }

    private static JWTClaimsSet.Builder claims(String user) {
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("f3a1-uuid")
                .claim("preferred_username", user).issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(300)));
    }

    private static String sign(RSAKey with, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(with));
        return jwt.serialize();
    }

    @Test
    void acceptsTheProvidersTokensAndMapsTheClaimToTheAccountWhoseRoleDecides() throws Exception {
        assertThat(api.send("GET", "/api/v1/users", sign(key, claims("olga").build()), null).statusCode()).isEqualTo(200);
        assertThat(api.send("GET", "/api/v1/users", sign(key, claims("pete").build()), null).statusCode()).isEqualTo(403);
        assertThat(api.send("GET", "/api/v1/users", sign(key, claims("nobody").build()), null).statusCode())
                .as("an identity without an amtbus account").isEqualTo(401);
        assertThat(api.send("GET", "/api/v1/users", sign(key, claims("a/#").build()), null).statusCode()).isEqualTo(401);
    }

    @Test
    void refusesForgedStaleAndMisdirectedTokens() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("idp-key-1").generate();
        String wrongKey = sign(stranger, claims("olga").build());
        String expired = sign(key, claims("olga").expirationTime(Date.from(Instant.now().minusSeconds(120))).build());
        String wrongAudience = sign(key, claims("olga").audience("someone-else").build());
        String noExpiry = sign(key, claims("olga").expirationTime(null).build());
        String algNone = new PlainJWT(claims("olga").build()).serialize();
        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims("olga").build());
        hmac.sign(new MACSigner(key.toRSAPublicKey().getEncoded()));
        JWTClaimsSet spoofIssuer = new JWTClaimsSet.Builder(claims("olga").build()).issuer("https://evil.test").build();

        for (String token : List.of(wrongKey, expired, wrongAudience, noExpiry, algNone, hmac.serialize(), sign(key, spoofIssuer))) {
            assertThat(api.send("GET", "/api/v1/users", token, null).statusCode()).as(token).isEqualTo(401);
        }
    }

    @Test
    void aFloodOfUnknownKeyIdsDoesNotFloodTheProvider() throws Exception {
        int before = FETCHES.get();
        for (int i = 0; i < 8; i++) {
            RSAKey unknown = new RSAKeyGenerator(2048).keyID("unknown-" + i).generate();
            assertThat(api.send("GET", "/api/v1/users", sign(unknown, claims("olga").build()), null).statusCode()).isEqualTo(401);
        }
        // nimbus's rate limiter lets two fetches through per interval (one may be a key rotation's)
        assertThat(FETCHES.get() - before).as("JWKS fetches, rate-limited per 30 s").isLessThanOrEqualTo(2);
    }
}
