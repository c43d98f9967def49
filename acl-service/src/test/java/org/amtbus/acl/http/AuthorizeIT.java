package org.amtbus.acl.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.amtbus.acl.login.LoginThrottle;
import org.amtbus.acl.token.TokenService;
import org.amtbus.schemas.model.AuditEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/authorize} and the token attacks, over real HTTPS; lockout per account and per address. */
class AuthorizeIT {

    private static ApiFixture api;

    @BeforeAll
    static void start() {
        api = new ApiFixture();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void issuesATokenForFormAndJsonCredentialsThatWorksAsBearerAndAsMqttPassword() {
        HttpResponse<String> form = api.send("POST", "/api/v1/authorize", null,
                "username=" + ApiFixture.ADMIN + "&password=" + ApiFixture.ADMIN_PASSWORD.replace(" ", "+"));
        HttpResponse<String> json = api.send("POST", "/api/v1/authorize", null,
                "{\"username\":\"" + ApiFixture.ADMIN + "\",\"password\":\"" + ApiFixture.ADMIN_PASSWORD + "\"}");

        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(json.statusCode()).isEqualTo(200);
        String token = api.body(json).get("access_token").asText();
        assertThat(api.body(json).get("token_type").asText()).isEqualTo("Bearer");
        assertThat(api.body(json).get("expires_in").asLong()).isEqualTo(TokenService.DEFAULT_TTL.toSeconds());
        assertThat(api.send("GET", "/api/v1/users", token, null).statusCode()).isEqualTo(200);
        assertThat(api.tokens.verify(token, ApiFixture.ADMIN).accepted()).isTrue();
        assertThat(api.everythingPublished()).doesNotContain(token).doesNotContain(ApiFixture.ADMIN_PASSWORD);
        api.assertAudited("auth.login", e -> e.outcome() == AuditEvent.Outcome.SUCCESS && "issued".equals(e.details().get("token")));
    }

    @Test
    void refusesUnknownFieldsAndMissingCredentials() {
        assertThat(api.send("POST", "/api/v1/authorize", null, "{\"username\":\"x\"}").statusCode()).isEqualTo(400);
        assertThat(api.send("POST", "/api/v1/authorize", null, "{\"username\":\"x\",\"password\":\"y\",\"ttl\":99}").statusCode())
                .isEqualTo(400);
    }

    @Test
    void refusesEveryForgedOrStaleTokenAsAnAttack() throws Exception {
        // given tokens that must all fail
        Instant now = Instant.now();
        JWTClaimsSet good = claims(TokenService.ISSUER, TokenService.API_AUDIENCE, now.plusSeconds(300)).build();
        String algNone = new PlainJWT(good).serialize();
        SignedJWT wrongKey = new SignedJWT(new JWSHeader(JWSAlgorithm.ES384), good);
        wrongKey.sign(new ECDSASigner(new ECKeyGenerator(Curve.P_384).generate()));
        TokenService later = TokenService.open(api.secrets, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)));
        String stale = later.issue(new org.amtbus.acl.account.AccountName(ApiFixture.ADMIN), Duration.ofMinutes(5));
        String mqttOnly = signedByUs(claims(TokenService.ISSUER, TokenService.AUDIENCE, now.plusSeconds(300)).build());
        String otherIssuer = signedByUs(claims("someone-else", TokenService.API_AUDIENCE, now.plusSeconds(300)).build());
        String ours = api.adminToken();
        String tampered = ours.substring(0, ours.lastIndexOf('.')) + "." + new StringBuilder(ours.substring(ours.lastIndexOf('.') + 1)).reverse();

        // then: alg none, wrong key, expired, wrong audience, wrong issuer, tampered are 401
        for (String token : List.of(algNone, wrongKey.serialize(), stale, mqttOnly, otherIssuer, tampered)) {
            assertThat(api.send("GET", "/api/v1/users", token, null).statusCode()).as(token).isEqualTo(401);
        }
        assertThat(api.send("GET", "/api/v1/users", ours, null).statusCode()).isEqualTo(200);
        api.assertAudited("auth.login", e -> "token refused: wrong algorithm".equals(e.reason())
                || "token refused: malformed".equals(e.reason()));
        api.assertAudited("auth.login", e -> "token refused: wrong audience".equals(e.reason()));
        api.assertAudited("auth.login", e -> "token refused: wrong issuer".equals(e.reason()));
        api.assertAudited("auth.login", e -> "token refused: bad signature".equals(e.reason()));
        api.assertAudited("auth.login", e -> "token refused: expired".equals(e.reason()));
    }

    @Test
    void repeatedWrongPasswordsLockTheAccountAndTheRightOneIsRefusedWhileLocked() {
        api.userToken("kim", "patient river stone 4");

        for (int i = 0; i < 5; i++) {
            assertThat(api.send("POST", "/api/v1/authorize", null, "{\"username\":\"kim\",\"password\":\"guess " + i + "\"}")
                    .statusCode()).isEqualTo(401);
        }
        HttpResponse<String> right = api.send("POST", "/api/v1/authorize", null,
                "{\"username\":\"kim\",\"password\":\"patient river stone 4\"}");

        assertThat(right.statusCode()).isEqualTo(401);
        assertThat(api.body(right).get("detail").asText()).isEqualTo("the username or password is wrong, or the account is locked");
        api.assertAudited("auth.lockout", e -> e.actor().name().equals("kim") && "account".equals(e.details().get("scope"))
                && "127.0.0.1".equals(e.source()));
    }

    @Test
    void failuresFromOneAddressAgainstManyAccountsLockTheAddress() {
        // given a listener whose address lock trips after 4 failures (accounts allow 5 each)
        try (ApiFixture strict = new ApiFixture(new LoginThrottle(5, Duration.ofMinutes(1), Duration.ofMinutes(5), Clock.systemUTC()),
                new LoginThrottle(4, Duration.ofMinutes(1), Duration.ofMinutes(5), Clock.systemUTC()),
                AdminApi.Settings.defaults(), Optional.empty())) {
            strict.userToken("lee", "sturdy maple branch 8");

            // when four different names are guessed from 127.0.0.1
            for (String name : List.of("amy", "bob", "cat", "dan")) {
                strict.send("POST", "/api/v1/authorize", null, "{\"username\":\"" + name + "\",\"password\":\"guess\"}");
            }

            // then lee's right password is refused from that address, with the answer of a wrong one
            HttpResponse<String> right = strict.send("POST", "/api/v1/authorize", null,
                    "{\"username\":\"lee\",\"password\":\"sturdy maple branch 8\"}");
            assertThat(right.statusCode()).isEqualTo(401);
            assertThat(strict.body(right).get("detail").asText()).isEqualTo("the username or password is wrong, or the account is locked");
            strict.assertAudited("auth.lockout", e -> "address".equals(e.details().get("scope"))
                    && "127.0.0.1".equals(e.source()) && "address:127.0.0.1".equals(e.target()));
            strict.assertAudited("auth.login", e -> "source locked out".equals(e.reason()));
            assertThat(strict.passwords.authenticate("lee", "sturdy maple branch 8".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .isAccepted()).as("the account itself is not locked").isTrue();
        }
    }

    @Test
    void whenSwitchedOffTheEndpointAnswersLikeAnUnknownPath() {
        try (ApiFixture off = new ApiFixture(new LoginThrottle(5, Duration.ofMinutes(1), Duration.ofMinutes(5), Clock.systemUTC()),
                new LoginThrottle(100, Duration.ofMinutes(1), Duration.ofMinutes(5), Clock.systemUTC()),
                new AdminApi.Settings(false, TokenService.DEFAULT_TTL), Optional.empty())) {
            HttpResponse<String> r = off.send("POST", "/api/v1/authorize", null,
                    "{\"username\":\"" + ApiFixture.ADMIN + "\",\"password\":\"" + ApiFixture.ADMIN_PASSWORD + "\"}");
            HttpResponse<String> unknown = off.send("POST", "/api/v1/nothing-here", null, "{}");

            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.body()).isEqualTo(unknown.body());
        }
    }

    private static JWTClaimsSet.Builder claims(String issuer, String audience, Instant expiry) {
        return new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject(ApiFixture.ADMIN)
                .issueTime(new Date()).expirationTime(Date.from(expiry));
    }

    /** Signed with amtbus's own key: only the claims are wrong. */
    private static String signedByUs(JWTClaimsSet claims) throws Exception {
        byte[] der = api.secrets.get(TokenService.SIGNING_KEY).orElseThrow().revealBytes();
        var key = (java.security.interfaces.ECPrivateKey) java.security.KeyFactory.getInstance("EC")
                .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der));
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.ES384), claims);
        jwt.sign(new ECDSASigner(key, Curve.P_384));
        return jwt.serialize();
    }
}
