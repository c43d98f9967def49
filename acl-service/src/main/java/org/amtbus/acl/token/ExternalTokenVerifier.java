package org.amtbus.acl.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.time.Clock;
import java.util.Date;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLSocketFactory;
import org.amtbus.acl.account.AccountName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies tokens of an {@link ExternalIdentityProvider} against its JWKS, fetched over HTTPS and cached
 * (nimbus {@link JWKSourceBuilder}: cache time, rate-limited refresh, bounded fetch size and timeouts).
 *
 * <p>Invariants: the signature is checked with a key of the provider's JWKS and one of the configured
 * asymmetric algorithms before any claim is used ({@code alg: none} and HMAC never pass); {@code iss}
 * must equal the configured issuer, {@code aud} contain the audience, {@code exp} must be present and
 * in the future, {@code nbf} not in the future ({@link TokenService#CLOCK_SKEW}); the account claim
 * must be a valid {@link AccountName}. Whether that account exists is the caller's question. Thread-safe;
 * blocking on a JWKS fetch (at most the HTTP timeouts), so call it from a virtual thread.
 */
public final class ExternalTokenVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(ExternalTokenVerifier.class);
    /** JWKS fetch limits: a provider answers in well under a second with a few KB. */
    static final int CONNECT_TIMEOUT_MS = 2_000;
    static final int READ_TIMEOUT_MS = 2_000;
    static final int MAX_JWKS_BYTES = 64 * 1024;

    private final ExternalIdentityProvider provider;
    private final DefaultJWTProcessor<SecurityContext> processor;

    /**
     * @param tls trust for the JWKS fetch; null for the JDK's default trust store
     */
    public ExternalTokenVerifier(ExternalIdentityProvider provider, SSLSocketFactory tls, Clock clock) {
        this.provider = Objects.requireNonNull(provider);
        Objects.requireNonNull(clock);
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.<SecurityContext>create(provider.jwksUrl().toURL(),
                            new DefaultResourceRetriever(CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS, MAX_JWKS_BYTES, true, tls))
                    .cache(provider.cacheTtl().toMillis(), CONNECT_TIMEOUT_MS + READ_TIMEOUT_MS)
                    .rateLimited(provider.minRefreshInterval().toMillis())
                    .refreshAheadCache(false)
                    .retrying(false)
                    .outageTolerant(false)
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("the JWKS URL is not a URL", e);
        }
        Set<JWSAlgorithm> algorithms = provider.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toSet());
        processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(provider.audience(),
                new JWTClaimsSet.Builder().issuer(provider.issuer()).build(),
                Set.of("exp", provider.accountClaim())) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew((int) TokenService.CLOCK_SKEW.toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    public ExternalIdentityProvider provider() {
        return provider;
    }

    /** The account a token names, or the refusal. Never throws for bad input. */
    public TokenService.Verdict verify(String token) {
        if (token == null || token.length() > TokenService.MAX_TOKEN_CHARS * 4) {
            return new TokenService.Verdict(null, TokenService.Refusal.MALFORMED);
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (java.text.ParseException e) {
            return new TokenService.Verdict(null, TokenService.Refusal.MALFORMED);
        } catch (BadJOSEException e) {
            // the message says which check failed; it holds claim names, never the token
            LOG.debug("event=token.external-refused reason=\"{}\"", e.getMessage());
            return new TokenService.Verdict(null, refusalOf(e));
        } catch (com.nimbusds.jose.JOSEException | RuntimeException e) {
            LOG.warn("event=token.external-error issuer={} reason={}", provider.issuer(), e.getClass().getSimpleName());
            return new TokenService.Verdict(null, TokenService.Refusal.BAD_SIGNATURE);
        }
        Object value = claims.getClaim(provider.accountClaim());
        return value instanceof String name
                ? AccountName.tryParse(name).map(n -> new TokenService.Verdict(n, null))
                        .orElse(new TokenService.Verdict(null, TokenService.Refusal.WRONG_SUBJECT))
                : new TokenService.Verdict(null, TokenService.Refusal.WRONG_SUBJECT);
    }

    private static TokenService.Refusal refusalOf(BadJOSEException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (m.contains("expired")) {
            return TokenService.Refusal.EXPIRED;
        }
        if (m.contains("before use time")) {
            return TokenService.Refusal.NOT_YET_VALID;
        }
        if (m.contains("audience")) {
            return TokenService.Refusal.WRONG_AUDIENCE;
        }
        if (m.contains("\"iss\"") || m.contains("issuer")) {
            return TokenService.Refusal.WRONG_ISSUER;
        }
        if (m.contains("unsecured") || m.contains("plain") || m.contains("algorithm") || m.contains("no matching key")
                || m.contains("key selector")) {
            return m.contains("no matching key") ? TokenService.Refusal.BAD_SIGNATURE : TokenService.Refusal.WRONG_ALGORITHM;
        }
        if (m.contains("missing required claims")) {
            return m.contains("exp") ? TokenService.Refusal.EXPIRED : TokenService.Refusal.WRONG_SUBJECT;
        }
        return TokenService.Refusal.BAD_SIGNATURE;
    }
}
