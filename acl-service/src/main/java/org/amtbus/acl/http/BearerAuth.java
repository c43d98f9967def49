package org.amtbus.acl.http;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.amtbus.acl.account.Account;
import org.amtbus.acl.account.AccountStore;
import org.amtbus.acl.token.BearerTokens;
import org.amtbus.acl.token.TokenService;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.schemas.model.AuditEvent;

/**
 * Authenticates admin API requests by {@code Authorization: Bearer <JWT>} and enforces the admin role.
 *
 * <p>Invariants: no token, a refused token, or a token naming an account that no longer exists is 401
 * with {@code WWW-Authenticate: Bearer}; a valid token of a non-superuser on an admin route is 403. Each
 * denial is an audit event ({@code auth.login} failure for 401, {@code acl.denied} for 403) with the
 * source address and the route, never the token.
 */
final class BearerAuth {

    private static final Map<String, String> CHALLENGE = Map.of("WWW-Authenticate", "Bearer realm=\"amtbus\"");

    private final BearerTokens tokens;
    private final AccountStore accounts;
    private final AuditLog audit;

    BearerAuth(BearerTokens tokens, AccountStore accounts, AuditLog audit) {
        this.tokens = Objects.requireNonNull(tokens);
        this.accounts = Objects.requireNonNull(accounts);
        this.audit = Objects.requireNonNull(audit);
    }

    /** The caller, whatever its role; 401 otherwise. */
    Caller caller(ApiRequest request) {
        String header = request.header("Authorization").orElse("");
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthorized(request, null, "no bearer token");
        }
        TokenService.Verdict verdict = tokens.verify(header.substring(7).strip());
        if (!verdict.accepted()) {
            throw unauthorized(request, null, "token refused: " + verdict.refusal().name().toLowerCase(Locale.ROOT).replace('_', ' '));
        }
        Account account;
        try {
            account = accounts.find(verdict.account()).orElse(null);
        } catch (AccountStore.AccountStoreException e) {
            throw new ApiProblem(503, "the account store is unavailable; retry");
        }
        if (account == null) {
            throw unauthorized(request, verdict.account().value(), "the token's account does not exist");
        }
        return new Caller(account, request.sourceText());
    }

    /** The caller if it is an admin (superuser); 401 or 403 otherwise. */
    Caller admin(ApiRequest request) {
        Caller caller = caller(request);
        if (!caller.admin()) {
            throw forbidden(request, caller, "the admin role is required");
        }
        return caller;
    }

    /** 403 for an authenticated caller who may not do this, audited as {@code acl.denied}. */
    ApiProblem forbidden(ApiRequest request, Caller caller, String reason) {
        audit.event("acl.denied").actor(caller.actor()).source(caller.source())
                .target(request.method() + " " + route(request)).outcome(AuditEvent.Outcome.DENIED).reason(reason)
                .detail("protocol", "https").emit();
        return new ApiProblem(403, reason);
    }

    private ApiProblem unauthorized(ApiRequest request, String account, String reason) {
        audit.event("auth.login").actor(account == null ? AuditEvent.Actor.system("unidentified-client") : AuditEvent.Actor.user(account))
                .source(request.sourceText()).target(request.method() + " " + route(request))
                .outcome(AuditEvent.Outcome.FAILURE).reason(reason).detail("protocol", "https").emit();
        return new ApiProblem(401, "about:blank", "a valid bearer token is required", CHALLENGE);
    }

    /** The path without its query, cut short: it came from the client. */
    private static String route(ApiRequest request) {
        String path = request.path().codePoints().map(c -> c < 0x20 || c == 0x7f ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return path.length() > 200 ? path.substring(0, 200) : path;
    }
}
