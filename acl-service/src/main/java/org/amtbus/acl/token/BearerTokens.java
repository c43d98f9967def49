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
        if (token == null || token.isEmpty() || token.length() > TokenService.MAX_TOKEN_CHARS * 4) {
            return new TokenService.Verdict(null, TokenService.Refusal.MALFORMED);
        }
        String issuer;
        try {
            issuer = JWTParser.parse(token).getJWTClaimsSet().getIssuer();
        } catch (java.text.ParseException | RuntimeException e) {
            return new TokenService.Verdict(null, TokenService.Refusal.MALFORMED);
        }
        if (external.isPresent() && external.get().provider().issuer().equals(issuer)) {
            return external.get().verify(token);
        }
        if (issuer == null || TokenService.ISSUER.equals(issuer)) {
            return own.verifyBearer(token);
        }
        return new TokenService.Verdict(null, TokenService.Refusal.WRONG_ISSUER);
    }

    /**
     * Checks a token presented as the MQTT password of {@code username}: an amtbus token must carry the
     * MQTT audience and that subject; an external provider's token must name that account in its account
     * claim. Never throws for bad input.
     */
    public TokenService.Verdict verifyPassword(String token, String username) {
        if (token == null || token.isEmpty() || token.length() > TokenService.MAX_TOKEN_CHARS * 4) {
            return new TokenService.Verdict(null, TokenService.Refusal.MALFORMED);
        }
        if (username == null) {
            return new TokenService.Verdict(null, TokenService.Refusal.WRONG_SUBJECT);
        }
        String issuer;
        try {
            issuer = JWTParser.parse(token).getJWTClaimsSet().getIssuer();
        } catch (java.text.ParseException | RuntimeException e) {
            return new TokenService.Verdict(null, TokenService.Refusal.MALFORMED);
        }
        if (external.isPresent() && external.get().provider().issuer().equals(issuer)) {
            TokenService.Verdict verdict = external.get().verify(token);
            return !verdict.accepted() || verdict.account().value().equals(username) ? verdict
                    : new TokenService.Verdict(null, TokenService.Refusal.WRONG_SUBJECT);
        }
        if (issuer == null || TokenService.ISSUER.equals(issuer)) {
            return own.verify(token, username);
        }
        return new TokenService.Verdict(null, TokenService.Refusal.WRONG_ISSUER);
    }
}
