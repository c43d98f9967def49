package org.amtbus.acl.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.amtbus.acl.account.AccountName;
import org.amtbus.acl.login.LoginResult;
import org.amtbus.acl.login.PasswordAuthenticator;
import org.amtbus.acl.token.TokenService;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.schemas.model.AuditEvent;

/**
 * {@code POST /api/v1/authorize}: a username and password (form or JSON) for a short-lived ES384 token.
 *
 * <p>Invariants: the password is checked by the shared {@link PasswordAuthenticator} with the peer
 * address, so per-account and per-address lockout apply and count together with MQTT; every refusal
 * (unknown name, wrong password, locked account, locked address) is the same 401, and every attempt is
 * an {@code auth.login} event, a lock an {@code auth.lockout} event, naming the address. When switched
 * off, the route answers exactly like an unknown path (404).
 */
final class AuthorizeEndpoint {

    static final String AUTHORIZE = "/api/v1/authorize";
    private static final Set<String> FIELDS = Set.of("username", "password");

    record Issued(String access_token, String token_type, long expires_in) { }

    private final boolean enabled;
    private final Duration ttl;
    private final PasswordAuthenticator passwords;
    private final TokenService tokens;
    private final AuditLog audit;

    AuthorizeEndpoint(boolean enabled, Duration ttl, PasswordAuthenticator passwords, TokenService tokens, AuditLog audit) {
        this.enabled = enabled;
        this.ttl = Objects.requireNonNull(ttl);
        this.passwords = Objects.requireNonNull(passwords);
        this.tokens = Objects.requireNonNull(tokens);
        this.audit = Objects.requireNonNull(audit);
    }

    void mount(ApiServer server) {
        server.route("POST", AUTHORIZE, this::authorize);
    }

    private ApiResponse authorize(ApiRequest request) {
        if (!enabled) {
            throw new ApiProblem(404, ApiServer.NO_ROUTE, "no such resource", Map.of());
        }
        Map<String, String> fields = RequestBodies.fields(request, FIELDS, true);
        String username = fields.get("username");
        String password = fields.get("password");
        if (username == null || password == null) {
            throw ApiProblem.badRequest("fields 'username' and 'password' are required");
        }
        LoginResult result = passwords.authenticate(username, password.getBytes(StandardCharsets.UTF_8), request.source());
        LoginEvents.record(audit, request, username, result);
        if (!result.isAccepted()) {
            throw new ApiProblem(401, "about:blank", "the username or password is wrong, or the account is locked", Map.of());
        }
        AccountName account = result.account().orElseThrow().name();
        return JsonAnswers.json(200, new Issued(tokens.issue(account, ttl), "Bearer", ttl.toSeconds()));
    }
}
