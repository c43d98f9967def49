package org.amtbus.wsman.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.amtbus.wsman.http.HttpProtocolException;
import org.junit.jupiter.api.Test;

class DigestTest {
    private static final String REALM = "Digest:34BF4B5A0561F95248F58509A406E046";
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private DigestVerifier verifier(String password) {
        return new DigestVerifier(REALM, "admin", Password.of(password), clock, new SplittableRandom(1), Duration.ofMinutes(5));
    }

    @Test
    void computesTheRfc2617ExampleResponse() {
        // RFC 2617 section 3.5 worked example
        String r = DigestMath.response("Mufasa", "testrealm@host.com", Password.of("Circle Of Life"), "GET",
                "/dir/index.html", "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001", "0a4f113b");
        assertThat(r).isEqualTo("6629fae49393a05397450978507c4ef1");
    }

    @Test
    void parsesAmtChallengeWithItsIrregularSpacing() throws Exception {
        DigestChallenge c = DigestChallenge.parse("Digest realm=\"" + REALM
                + "\", nonce=\"bQali2IAAAAAAAAAn0xaWCOcxNsRcEHX\",stale=\"false\",qop=\"auth\"");
        assertThat(c.realm()).isEqualTo(REALM);
        assertThat(c.nonce()).isEqualTo("bQali2IAAAAAAAAAn0xaWCOcxNsRcEHX");
        assertThat(c.stale()).isFalse();
    }

    @Test
    void acceptsCorrectCredentialsAndCountsNcUp() throws Exception {
        // given
        DigestVerifier v = verifier("P@ssw0rd!");
        DigestClient client = new DigestClient("admin", Password.of("P@ssw0rd!"), new SplittableRandom(2));
        assertThat(client.onUnauthorized(v.challenge(false), false)).isTrue();
        // when
        String first = client.authorization("POST", "/wsman");
        String second = client.authorization("POST", "/wsman");
        // then
        assertThat(first).contains("nc=\"00000001\"").contains("username=\"admin\"").doesNotContain("P@ssw0rd!");
        assertThat(second).contains("nc=\"00000002\"");
        assertThat(v.verify("POST", "/wsman", first)).isInstanceOf(DigestVerdict.Accepted.class);
        assertThat(v.verify("POST", "/wsman", second)).isInstanceOf(DigestVerdict.Accepted.class);
    }

    @Test
    void refusesReplayedNc() throws Exception {
        // given an accepted request
        DigestVerifier v = verifier("P@ssw0rd!");
        DigestClient client = new DigestClient("admin", Password.of("P@ssw0rd!"), new SplittableRandom(2));
        client.onUnauthorized(v.challenge(false), false);
        String auth = client.authorization("POST", "/wsman");
        assertThat(v.verify("POST", "/wsman", auth)).isInstanceOf(DigestVerdict.Accepted.class);
        // when the same header is sent again
        DigestVerdict replay = v.verify("POST", "/wsman", auth);
        // then
        assertThat(replay).isEqualTo(new DigestVerdict.Challenge(false, "nc replayed"));
    }

    @Test
    void refusesWrongPasswordWithoutAskingToRetry() throws Exception {
        DigestVerifier v = verifier("right-Passw0rd");
        DigestClient client = new DigestClient("admin", Password.of("wrong-Passw0rd"), new SplittableRandom(2));
        client.onUnauthorized(v.challenge(false), false);
        DigestVerdict verdict = v.verify("POST", "/wsman", client.authorization("POST", "/wsman"));
        assertThat(verdict).isEqualTo(new DigestVerdict.Challenge(false, "wrong credentials"));
        assertThat(client.onUnauthorized(v.challenge(false), true)).isFalse();
    }

    @Test
    void marksExpiredGenuineNonceStaleAndForgedNonceNot() throws Exception {
        // given a nonce issued an hour ago
        Clock[] now = {Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC)};
        Clock moving = new Clock() {
            public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
            public Clock withZone(java.time.ZoneId z) { return this; }
            public Instant instant() { return now[0].instant(); }
        };
        DigestVerifier v = new DigestVerifier(REALM, "admin", Password.of("P@ssw0rd!"), moving, new SplittableRandom(3), Duration.ofMinutes(5));
        DigestClient client = new DigestClient("admin", Password.of("P@ssw0rd!"), new SplittableRandom(2));
        client.onUnauthorized(v.challenge(false), false);
        now[0] = Clock.offset(now[0], Duration.ofHours(1));
        // when / then
        assertThat(v.verify("POST", "/wsman", client.authorization("POST", "/wsman")))
                .isEqualTo(new DigestVerdict.Challenge(true, "nonce expired"));
        assertThat(client.onUnauthorized(v.challenge(true), true)).as("stale: retry once").isTrue();
        assertThat(v.verify("POST", "/wsman", client.authorization("POST", "/wsman"))).isInstanceOf(DigestVerdict.Accepted.class);

        DigestClient forger = new DigestClient("admin", Password.of("P@ssw0rd!"), new SplittableRandom(2));
        forger.onUnauthorized("Digest realm=\"" + REALM + "\", nonce=\"made-up\",qop=\"auth\"", false);
        assertThat(v.verify("POST", "/wsman", forger.authorization("POST", "/wsman")))
                .isEqualTo(new DigestVerdict.Challenge(false, "nonce was not issued here"));
    }

    @Test
    void refusesUriMismatchAndMalformedHeaders() throws Exception {
        DigestVerifier v = verifier("P@ssw0rd!");
        DigestClient client = new DigestClient("admin", Password.of("P@ssw0rd!"), new SplittableRandom(2));
        client.onUnauthorized(v.challenge(false), false);
        assertThat(v.verify("POST", "/other", client.authorization("POST", "/wsman")))
                .isInstanceOf(DigestVerdict.Challenge.class);
        assertThat(v.verify("POST", "/wsman", "Digest username=\"admin")).isInstanceOf(DigestVerdict.Challenge.class);
        assertThat(v.verify("POST", "/wsman", "Basic YWRtaW46eA==")).isInstanceOf(DigestVerdict.Challenge.class);
    }

    @Test
    void refusesChallengesWithoutQopAuthOrWithOtherAlgorithms() {
        assertThatThrownBy(() -> DigestChallenge.parse("Digest realm=\"r\", nonce=\"n\""))
                .isInstanceOf(HttpProtocolException.class);
        assertThatThrownBy(() -> DigestChallenge.parse("Digest realm=\"r\", nonce=\"n\", qop=\"auth\", algorithm=SHA-256"))
                .isInstanceOf(HttpProtocolException.class);
    }

    @Test
    void neverPrintsThePassword() {
        Password p = Password.of("S3cret!pass");
        assertThat(p.toString()).isEqualTo("[hidden]");
        assertThat(new DigestClient("admin", p, new SplittableRandom(1)).toString()).doesNotContain("S3cret");
        assertThat(verifier("S3cret!pass").toString()).doesNotContain("S3cret");
    }
}
