package org.amtbus.acl.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.UUID;
import org.amtbus.acl.account.AccountName;
import org.amtbus.platform.secret.Secret;
import org.amtbus.platform.secret.SecretName;
import org.amtbus.platform.secret.SecretStore;

/**
 * Short-lived ES384 tokens that MQTT clients may present as their password.
 *
 * <p>Invariants: only {@code ES384} signed by our own key is accepted ({@code alg: none}, HMAC
 * algorithms, other curves and other keys are refused before any claim is read); issuer, audience,
 * expiry and not-before are checked with {@link #CLOCK_SKEW} of tolerance; the subject must be the
 * username the client presents (MQTT) or, for a bearer token, a valid account name. Tokens carry both
 * audiences, {@value #AUDIENCE} and {@value #API_AUDIENCE}; each door checks its own. The signing key (P-384) lives in the secret store, created on first use.
 */
public final class TokenService {

    public static final SecretName SIGNING_KEY = new SecretName("acl/jwt-signing-key");
    public static final String ISSUER = "amtbus";
    /** Tokens presented as an MQTT password (and to the go-auth endpoints). */
    public static final String AUDIENCE = "amtbus-mqtt";
    /** Tokens presented as {@code Authorization: Bearer} to the HTTPS admin API. */
    public static final String API_AUDIENCE = "amtbus-api";
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(15);
    public static final Duration MAX_TTL = Duration.ofHours(24);
    /** Tolerates clocks a little apart between the issuing and the checking process. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    /** A compact JWS longer than this is not one of ours; refuse before parsing. */
    public static final int MAX_TOKEN_CHARS = 2048;

    /** Why a token was refused; for the audit trail, never shown to the client beyond "refused". */
    public enum Refusal { MALFORMED, WRONG_ALGORITHM, BAD_SIGNATURE, WRONG_ISSUER, WRONG_AUDIENCE, EXPIRED, NOT_YET_VALID, WRONG_SUBJECT }

    /** The outcome of a check: the account on success, the refusal otherwise. */
    public record Verdict(AccountName account, Refusal refusal) {
        public boolean accepted() {
            return account != null;
        }
    }

    private final ECPrivateKey privateKey;
    private final ECKey publicJwk;
    private final Clock clock;

    private TokenService(ECPrivateKey privateKey, ECPublicKey publicKey, Clock clock) throws JOSEException {
        this.privateKey = privateKey;
        this.publicJwk = new ECKey.Builder(Curve.P_384, publicKey).keyIDFromThumbprint().build();
        this.clock = clock;
    }

    /** Loads the signing key from the store, creating it on first use. */
    public static TokenService open(SecretStore secrets, Clock clock) {
        try {
            KeyFactory factory = KeyFactory.getInstance("EC");
            var stored = secrets.get(SIGNING_KEY);
            ECPrivateKey privateKey;
            ECPublicKey publicKey;
            if (stored.isPresent()) {
                byte[] der = stored.get().revealBytes();
                privateKey = (ECPrivateKey) factory.generatePrivate(new PKCS8EncodedKeySpec(der));
                java.util.Arrays.fill(der, (byte) 0);
                publicKey = derivePublic(privateKey);
            } else {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp384r1"));
                KeyPair pair = generator.generateKeyPair();
                secrets.put(SIGNING_KEY, Secret.ofBytes(pair.getPrivate().getEncoded()));
                privateKey = (ECPrivateKey) pair.getPrivate();
                publicKey = (ECPublicKey) pair.getPublic();
            }
            return new TokenService(privateKey, publicKey, Objects.requireNonNull(clock));
        } catch (java.security.GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException("token signing key: " + e.getMessage(), e);
        }
    }

    /** Issues a token for {@code account}, valid for {@code ttl} (at most {@link #MAX_TTL}). */
    public String issue(AccountName account, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("a token lives between 1 s and " + MAX_TTL.toHours() + " h");
        }
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER).audience(java.util.List.of(AUDIENCE, API_AUDIENCE)).subject(account.value())
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES384).keyID(publicJwk.getKeyID()).build(), claims);
            jwt.sign(new ECDSASigner(privateKey, Curve.P_384));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token: " + e.getMessage(), e);
        }
    }

    /** True when {@code password} has the shape of a compact JWS (so it is checked as a token). */
    public static boolean looksLikeToken(byte[] password) {
        if (password == null || password.length < 20 || password.length > MAX_TOKEN_CHARS) {
            return false;
        }
        int dots = 0;
        for (byte b : password) {
            if (b == '.') {
                dots++;
            } else if (!(b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '-' || b == '_')) {
                return false;
            }
        }
        return dots == 2 && password[0] == 'e' && password[1] == 'y';
    }

    /** Checks a token presented by {@code username} as its MQTT password. Never throws for bad input. */
    public Verdict verify(String token, String username) {
        if (username == null) {
            return new Verdict(null, Refusal.WRONG_SUBJECT);
        }
        return check(token, AUDIENCE, username);
    }

    /**
     * Checks a bearer token presented to the HTTPS API, where the token alone names the caller: the
     * subject must be a valid account name. Never throws for bad input.
     */
    public Verdict verifyBearer(String token) {
        return check(token, API_AUDIENCE, null);
    }

    /** @param username the subject the token must carry; null to take the subject as the account */
    private Verdict check(String token, String audience, String username) {
        if (token == null || token.length() > MAX_TOKEN_CHARS) {
            return new Verdict(null, Refusal.MALFORMED);
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.ES384.equals(jwt.getHeader().getAlgorithm())) {
                return new Verdict(null, Refusal.WRONG_ALGORITHM);
            }
            if (!jwt.verify(new ECDSAVerifier(publicJwk))) {
                return new Verdict(null, Refusal.BAD_SIGNATURE);
            }
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | JOSEException | RuntimeException e) {
            return new Verdict(null, Refusal.MALFORMED);
        }
        Instant now = clock.instant();
        if (!ISSUER.equals(claims.getIssuer())) {
            return new Verdict(null, Refusal.WRONG_ISSUER);
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
            return new Verdict(null, Refusal.WRONG_AUDIENCE);
        }
        if (claims.getExpirationTime() == null || !now.minus(CLOCK_SKEW).isBefore(claims.getExpirationTime().toInstant())) {
            return new Verdict(null, Refusal.EXPIRED);
        }
        if (claims.getNotBeforeTime() != null && now.plus(CLOCK_SKEW).isBefore(claims.getNotBeforeTime().toInstant())) {
            return new Verdict(null, Refusal.NOT_YET_VALID);
        }
        if (claims.getSubject() == null || username != null && !claims.getSubject().equals(username)) {
            return new Verdict(null, Refusal.WRONG_SUBJECT);
        }
        return AccountName.tryParse(claims.getSubject()).map(n -> new Verdict(n, null)).orElse(new Verdict(null, Refusal.WRONG_SUBJECT));
    }

    private static ECPublicKey derivePublic(ECPrivateKey key) throws java.security.GeneralSecurityException {
        var params = key.getParams();
        var curve = org.bouncycastle.jce.ECNamedCurveTable.getParameterSpec("secp384r1");
        var q = curve.getG().multiply(key.getS()).normalize();
        var point = new java.security.spec.ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new java.security.spec.ECPublicKeySpec(point, params));
    }
}
