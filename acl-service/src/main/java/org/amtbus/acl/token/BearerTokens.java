package org.amtbus.acl.token;

import com.nimbusds.jwt.JWTParser;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks a bearer token with the verifier of the issuer it names: amtbus's own {@link TokenService}
 * for {@value TokenService#ISSUER}, the configured {@link ExternalTokenVerifier} for the external
 * provider's issuer, nothing else.
 *
 * <p>Invariant: the unverified {@code iss} only chooses the verifier; the chosen one then checks
 * signature, issuer, audience and times in full, so naming another issuer gains an attacker nothing.
 * Thread-safe; an external check may block on a JWKS fetch (bounded by its timeouts).
 */
public final class BearerTokens {

    private final TokenService own;
    private final Optional<ExternalTokenVerifier> external;

    public BearerTokens(TokenService own, Optional<ExternalTokenVerifier> external) {
        this.own = Objects.requireNonNull(own);
        this.external = Objects.requireNonNull(external);
    }

    /** The account a bearer token names, or why it was refused. Never throws for bad input. */
    public TokenService.Verdict verify(String token) {
        Route route = route(token);
        if (route.refusal() != null) {
            return refused(route.refusal());
        }
        return route.external() ? external.get().verify(token) : own.verifyBearer(token);
    }

    /**
     * Checks a token presented as the MQTT password of {@code username}: an amtbus token must carry the
     * MQTT audience and that subject; an external provider's token must name that account in its account
     * claim. Never throws for bad input.
     */
    public TokenService.Verdict verifyPassword(String token, String username) {
        Route route = route(token);
        if (route.refusal() != null) {
            return refused(route.refusal());
        }
        if (username == null) {
            return refused(TokenService.Refusal.WRONG_SUBJECT);
        }
        if (!route.external()) {
            return own.verify(token, username);
        }
        TokenService.Verdict verdict = external.get().verify(token);
        return !verdict.accepted() || verdict.account().value().equals(username) ? verdict
                : refused(TokenService.Refusal.WRONG_SUBJECT);
    }

    /** Which verifier a token goes to (by its issuer), or why it goes to none. */
    private Route route(String token) {
        if (token == null || token.isEmpty() || token.length() > TokenService.MAX_TOKEN_CHARS * 4) {
            return new Route(TokenService.Refusal.MALFORMED, false);
        }
        String issuer;
        try {
            issuer = JWTParser.parse(token).getJWTClaimsSet().getIssuer();
        } catch (java.text.ParseException | RuntimeException e) {
            return new Route(TokenService.Refusal.MALFORMED, false);
        }
        if (external.isPresent() && external.get().provider().issuer().equals(issuer)) {
            return new Route(null, true);
        }
        if (issuer == null || TokenService.ISSUER.equals(issuer)) {
            return new Route(null, false);
        }
        return new Route(TokenService.Refusal.WRONG_ISSUER, false);
    }

    private static TokenService.Verdict refused(TokenService.Refusal refusal) {
        return new TokenService.Verdict(null, refusal);
    }

    /** @param refusal why the token is refused before any signature check, or null
     *  @param external whether the external identity provider issued it */
    private record Route(TokenService.Refusal refusal, boolean external) {
    }
}
