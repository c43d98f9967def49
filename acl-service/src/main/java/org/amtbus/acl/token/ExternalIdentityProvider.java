package org.amtbus.acl.token;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An external identity provider whose tokens amtbus accepts: where its signing keys are (a JWKS over
 * HTTPS), which issuer and audience its tokens must carry, and which claim names the amtbus account.
 *
 * <p>Invariants: the JWKS URL is {@code https}; issuer, audience and claim are non-blank; only
 * asymmetric algorithms are allowed (never {@code none}, never HMAC, whose key a JWKS would publish);
 * cache and refresh times are within the named bounds, so a flood of tokens with unknown key ids
 * cannot turn into a flood of JWKS fetches.
 *
 * @param jwksUrl            the provider's JWKS, e.g. {@code https://idp.example/realms/ops/protocol/openid-connect/certs}
 * @param issuer             the exact {@code iss} its tokens carry
 * @param audience           the {@code aud} they must contain (the client id amtbus has at the provider)
 * @param accountClaim       the claim whose value is the amtbus account name, e.g. {@code preferred_username}
 * @param algorithms         accepted JWS algorithms (names such as {@code RS256}, {@code ES384})
 * @param cacheTtl           how long fetched keys are used before a refresh
 * @param minRefreshInterval fetches happen at most this often (an unknown key id triggers one)
 */
public record ExternalIdentityProvider(URI jwksUrl, String issuer, String audience, String accountClaim,
                                       Set<String> algorithms, Duration cacheTtl, Duration minRefreshInterval) {

    public static final Set<String> DEFAULT_ALGORITHMS = Set.of("RS256", "PS256", "ES256", "ES384");
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(5);
    public static final Duration MIN_CACHE_TTL = Duration.ofSeconds(30);
    public static final Duration MAX_CACHE_TTL = Duration.ofHours(24);
    public static final Duration DEFAULT_MIN_REFRESH_INTERVAL = Duration.ofSeconds(30);
    public static final Duration MIN_MIN_REFRESH_INTERVAL = Duration.ofSeconds(1);
    public static final String DEFAULT_ACCOUNT_CLAIM = "preferred_username";
    private static final Set<String> ASYMMETRIC = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512", "EdDSA", "Ed25519");
    private static final Pattern CLAIM = Pattern.compile("[A-Za-z_][A-Za-z0-9_.:-]{0,63}");

    public ExternalIdentityProvider {
        Objects.requireNonNull(jwksUrl, "jwksUrl");
        if (!"https".equalsIgnoreCase(jwksUrl.getScheme()) || jwksUrl.getHost() == null) {
            throw new IllegalArgumentException("the JWKS URL must be https://host/...");
        }
        if (issuer == null || issuer.isBlank() || audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("an external identity provider needs an issuer and an audience");
        }
        if (TokenService.ISSUER.equals(issuer)) {
            throw new IllegalArgumentException("the issuer '" + TokenService.ISSUER + "' is amtbus's own");
        }
        if (accountClaim == null || !CLAIM.matcher(accountClaim).matches()) {
            throw new IllegalArgumentException("the account claim must be a claim name such as preferred_username");
        }
        algorithms = Set.copyOf(algorithms);
        if (algorithms.isEmpty() || !ASYMMETRIC.containsAll(algorithms)) {
            throw new IllegalArgumentException("accepted algorithms must be asymmetric: " + ASYMMETRIC);
        }
        if (cacheTtl.compareTo(MIN_CACHE_TTL) < 0 || cacheTtl.compareTo(MAX_CACHE_TTL) > 0) {
            throw new IllegalArgumentException("the JWKS cache time must be between 30 s and 24 h");
        }
        if (minRefreshInterval.compareTo(MIN_MIN_REFRESH_INTERVAL) < 0 || minRefreshInterval.compareTo(cacheTtl) >= 0) {
            throw new IllegalArgumentException("the JWKS refresh interval must be at least 1 s and shorter than the cache time");
        }
    }

    /** A provider with the default algorithms, claim, cache time and refresh interval. */
    public static ExternalIdentityProvider of(URI jwksUrl, String issuer, String audience) {
        return new ExternalIdentityProvider(jwksUrl, issuer, audience, DEFAULT_ACCOUNT_CLAIM, DEFAULT_ALGORITHMS,
                DEFAULT_CACHE_TTL, DEFAULT_MIN_REFRESH_INTERVAL);
    }
}
