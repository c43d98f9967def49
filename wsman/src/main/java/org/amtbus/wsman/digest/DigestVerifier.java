package org.amtbus.wsman.digest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.amtbus.wsman.http.HttpProtocolException;

/**
 * The server half of HTTP Digest for one account (AMT's {@code admin}). Nonces are
 * {@code issued-time || random || HMAC-SHA256(server secret, both)}, so they need no table to validate and
 * cannot be forged or used past {@link #nonceLifetime}; an expired but genuine nonce draws a
 * {@code stale=true} challenge. For replay protection the highest nc seen per nonce is kept (bounded to
 * {@link #MAX_TRACKED_NONCES}, oldest evicted - an evicted nonce is refused as stale) and each request must
 * carry a higher one. Responses are compared in constant time. Thread-safe (synchronized).
 */
public final class DigestVerifier {
    public static final Duration DEFAULT_NONCE_LIFETIME = Duration.ofMinutes(5);
    public static final int MAX_TRACKED_NONCES = 1024;
    private static final int RANDOM_BYTES = 8;
    private static final int MAC_BYTES = 16;
    private static final int NONCE_BYTES = 8 + RANDOM_BYTES + MAC_BYTES;

    private final String realm;
    private final String username;
    /** HA1 = MD5(user:realm:password) as lowercase hex, held hidden. */
    private final Password ha1Hex;
    private final Clock clock;
    private final RandomGenerator random;
    private final Duration nonceLifetime;
    private final byte[] secret = new byte[32];
    private final Map<String, Long> highestNc = new LinkedHashMap<>(64, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_TRACKED_NONCES;
        }
    };

    /** @param random nonce and secret source; pass a {@link java.security.SecureRandom} in production */
    public DigestVerifier(String realm, String username, Password password, Clock clock, RandomGenerator random,
                          Duration nonceLifetime) {
        this(Password.of(DigestHash.ha1Hex(username, realm, Objects.requireNonNull(password, "password"))),
                realm, username, clock, random, nonceLifetime);
    }

    /**
     * A verifier that knows only HA1 (lowercase hex MD5 of {@code username:realm:password}), as AMT does
     * after activation with {@code NetAdminPassEncryptionType} 2.
     */
    public static DigestVerifier forHa1(String realm, String username, Password ha1Hex, Clock clock, RandomGenerator random,
                                        Duration nonceLifetime) {
        return new DigestVerifier(ha1Hex, realm, username, clock, random, nonceLifetime);
    }

    private DigestVerifier(Password ha1Hex, String realm, String username, Clock clock, RandomGenerator random,
                           Duration nonceLifetime) {
        this.realm = Objects.requireNonNull(realm, "realm");
        this.username = Objects.requireNonNull(username, "username");
        this.ha1Hex = Objects.requireNonNull(ha1Hex, "ha1Hex");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        if (nonceLifetime.isNegative() || nonceLifetime.isZero()) {
            throw new IllegalArgumentException("nonce lifetime must be positive");
        }
        this.nonceLifetime = nonceLifetime;
        random.nextBytes(secret);
    }

    public String realm() {
        return realm;
    }

    public Duration nonceLifetime() {
        return nonceLifetime;
    }

    /** A WWW-Authenticate value with a fresh nonce. */
    public synchronized String challenge(boolean stale) {
        byte[] nonce = new byte[NONCE_BYTES];
        ByteBuffer.wrap(nonce).putLong(clock.millis());
        byte[] r = new byte[RANDOM_BYTES];
        random.nextBytes(r);
        System.arraycopy(r, 0, nonce, 8, RANDOM_BYTES);
        System.arraycopy(mac(nonce), 0, nonce, 8 + RANDOM_BYTES, MAC_BYTES);
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
        return new DigestChallenge(realm, text, stale, null).toHeaderValue();
    }

    /** Checks the Authorization header (null when absent) of a request. */
    public synchronized DigestVerdict verify(String method, String requestUri, String authorization) {
        if (authorization == null) {
            return new DigestVerdict.Challenge(false, "no credentials");
        }
        Map<String, String> p;
        try {
            p = AuthParams.parseDigest(authorization);
        } catch (HttpProtocolException e) {
            return new DigestVerdict.Challenge(false, "malformed Authorization: " + e.getMessage());
        }
        String nonce = p.get("nonce");
        String nc = p.get("nc");
        String cnonce = p.get("cnonce");
        String response = p.get("response");
        if (nonce == null || nc == null || cnonce == null || response == null || p.get("uri") == null) {
            return new DigestVerdict.Challenge(false, "Authorization lacks a required parameter");
        }
        if (!username.equals(p.get("username")) || !realm.equals(p.get("realm"))) {
            return new DigestVerdict.Challenge(false, "unknown user or realm");
        }
        if (!"auth".equals(p.get("qop")) || !"MD5".equalsIgnoreCase(p.getOrDefault("algorithm", "MD5"))) {
            return new DigestVerdict.Challenge(false, "qop or algorithm not supported");
        }
        if (!p.get("uri").equals(requestUri)) {
            return new DigestVerdict.Challenge(false, "digest uri does not match the request");
        }
        long count = parseNc(nc);
        if (count <= 0) {
            return new DigestVerdict.Challenge(false, "malformed nc");
        }
        long issued = issuedAt(nonce);
        if (issued < 0) {
            return new DigestVerdict.Challenge(false, "nonce was not issued here");
        }
        byte[] ha1 = ha1Hex.utf8();
        String expected;
        try {
            expected = DigestMath.responseFromHa1(new String(ha1, StandardCharsets.US_ASCII), method, p.get("uri"),
                    nonce, nc, cnonce);
        } finally {
            Arrays.fill(ha1, (byte) 0);
        }
        boolean match = MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                response.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        if (!match) {
            return new DigestVerdict.Challenge(false, "wrong credentials");
        }
        long now = clock.millis();
        if (now - issued > nonceLifetime.toMillis() || now < issued) {
            return new DigestVerdict.Challenge(true, "nonce expired");
        }
        Long last = highestNc.get(nonce);
        if (last != null && count <= last) {
            return new DigestVerdict.Challenge(false, "nc replayed");
        }
        if (last == null && highestNc.size() >= MAX_TRACKED_NONCES && count > 1) {
            // we may have evicted this nonce; refuse rather than forget its history
            return new DigestVerdict.Challenge(true, "nonce no longer tracked");
        }
        highestNc.put(nonce, count);
        return new DigestVerdict.Accepted();
    }

    private static long parseNc(String nc) {
        if (nc.isEmpty() || nc.length() > 8) {
            return -1;
        }
        try {
            return Long.parseLong(nc, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The issue time of a genuine nonce, or -1. */
    private long issuedAt(String nonce) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return -1;
        }
        if (raw.length != NONCE_BYTES) {
            return -1;
        }
        byte[] expected = mac(Arrays.copyOf(raw, NONCE_BYTES));
        byte[] given = Arrays.copyOfRange(raw, 8 + RANDOM_BYTES, NONCE_BYTES);
        if (!MessageDigest.isEqual(Arrays.copyOf(expected, MAC_BYTES), given)) {
            return -1;
        }
        return ByteBuffer.wrap(raw).getLong();
    }

    /** HMAC over the time and random parts of {@code nonce} (the first 16 bytes). */
    private byte[] mac(byte[] nonce) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(secret, "HmacSHA256"));
            m.update(nonce, 0, 8 + RANDOM_BYTES);
            return Arrays.copyOf(m.doFinal(), MAC_BYTES);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("the JDK always has HmacSHA256", e);
        }
    }

    @Override
    public String toString() {
        return "DigestVerifier[realm=" + realm + ", user=" + username + ", password=[hidden]]";
    }
}
