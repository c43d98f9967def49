package org.amtbus.acl.http;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.amtbus.acl.account.Account;
import org.amtbus.acl.admin.AccountAdmin;
import org.amtbus.acl.login.LoginResult;
import org.amtbus.acl.login.PasswordAuthenticator;
import org.amtbus.platform.secret.Passwords;
import org.amtbus.platform.secret.Secret;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.TenantId;

/**
 * {@code /api/v1/users}: users and service accounts, through {@link AccountAdmin} (so the CLI and the API
 * share one audited path).
 *
 * <p>Invariants: listing, creating and deleting need the admin role; a password is changed by an admin
 * or by the account itself, which must then prove its current password (checked by the shared
 * {@link PasswordAuthenticator}, so lockout applies). A service account created without a password
 * gets a random one, returned in that one response and stored only as a hash.
 */
final class UsersResource {

    static final String USERS = "/api/v1/users";
    static final String USER = "/api/v1/users/{name}";
    static final String PASSWORD = "/api/v1/users/{name}/password";
    static final String TENANT = "/api/v1/users/{name}/tenant";
    /** Random bytes of a generated service-account password (base64url, 43 characters). */
    static final int SERVICE_PASSWORD_BYTES = 32;

    record AccountView(String name, String kind, boolean superuser, String tenant, Instant createdAt) {
        static AccountView of(Account a) {
            return new AccountView(a.name().value(), a.kind().name().toLowerCase(java.util.Locale.ROOT), a.superuser(),
                    a.tenant().map(TenantId::value).orElse(null), a.createdAt());
        }
    }

    record AccountList(List<AccountView> users) { }

    record NewAccount(String name, String kind, String password, Boolean superuser, String tenant) { }

    record Created(AccountView account, String password) { }

    record NewPassword(String password, String currentPassword) { }

    record TenantChange(String tenant) { }

    private final AccountAdmin admin;
    private final PasswordAuthenticator passwords;
    private final BearerAuth auth;
    private final org.amtbus.platform.audit.AuditLog audit;

    UsersResource(AccountAdmin admin, PasswordAuthenticator passwords, BearerAuth auth, org.amtbus.platform.audit.AuditLog audit) {
        this.audit = Objects.requireNonNull(audit);
        this.admin = Objects.requireNonNull(admin);
        this.passwords = Objects.requireNonNull(passwords);
        this.auth = Objects.requireNonNull(auth);
    }

    void mount(ApiServer server) {
        server.route("GET", USERS, this::list);
        server.route("POST", USERS, this::create);
        server.route("DELETE", USER, this::delete);
        server.route("PUT", PASSWORD, this::changePassword);
        server.route("PUT", TENANT, this::changeTenant);
    }

    private ApiResponse list(ApiRequest request) {
        auth.admin(request);
        return JsonAnswers.json(200, new AccountList(admin.list().stream().map(AccountView::of).toList()));
    }

    private ApiResponse create(ApiRequest request) {
        Caller caller = auth.admin(request);
        NewAccount body = RequestBodies.json(request, NewAccount.class);
        JsonAnswers.required(body.name(), "name", 64);
        Account.Kind kind = switch (body.kind() == null ? "user" : body.kind()) {
            case "user" -> Account.Kind.USER;
            case "service" -> Account.Kind.SERVICE;
            default -> throw ApiProblem.badRequest("field 'kind' must be 'user' or 'service'");
        };
        Optional<TenantId> tenant = tenant(body.tenant());
        Secret generated = null;
        char[] password;
        if (body.password() == null && kind == Account.Kind.SERVICE) {
            generated = Passwords.token(SERVICE_PASSWORD_BYTES);
            password = generated.revealChars();
        } else {
            password = JsonAnswers.required(body.password(), "password", PasswordAuthenticator.MAX_PASSWORD_BYTES).toCharArray();
        }
        try {
            Account created = admin.addAccount(body.name(), kind, password, Boolean.TRUE.equals(body.superuser()), tenant,
                    caller.actor());
            return JsonAnswers.json(201, new Created(AccountView.of(created),
                    generated == null ? null : new String(generated.revealChars())));
        } catch (AccountAdmin.AdminException e) {
            throw JsonAnswers.problemOf(e);
        } finally {
            if (generated != null) {
                generated.destroy();
            }
        }
    }

    private ApiResponse delete(ApiRequest request) {
        Caller caller = auth.admin(request);
        try {
            admin.delete(request.pathParameter("name"), caller.actor());
        } catch (AccountAdmin.AdminException e) {
            throw JsonAnswers.problemOf(e);
        }
        return ApiResponse.status(204);
    }

    private ApiResponse changePassword(ApiRequest request) {
        Caller caller = auth.caller(request);
        String name = request.pathParameter("name");
        boolean self = caller.name().equals(name);
        if (!self && !caller.admin()) {
            throw auth.forbidden(request, caller, "only the account itself or an admin may change a password");
        }
        NewPassword body = RequestBodies.json(request, NewPassword.class);
        JsonAnswers.required(body.password(), "password", PasswordAuthenticator.MAX_PASSWORD_BYTES);
        if (self && !caller.admin()) {
            JsonAnswers.required(body.currentPassword(), "currentPassword", PasswordAuthenticator.MAX_PASSWORD_BYTES);
            LoginResult proof = passwords.authenticate(name,
                    body.currentPassword().getBytes(java.nio.charset.StandardCharsets.UTF_8), request.source());
            LoginEvents.record(audit, request, name, proof);
            if (!proof.isAccepted()) {
                throw auth.forbidden(request, caller, "the current password is wrong");
            }
        }
        try {
            admin.changePassword(name, body.password().toCharArray(), caller.actor());
        } catch (AccountAdmin.AdminException e) {
            throw JsonAnswers.problemOf(e);
        }
        return ApiResponse.status(204);
    }

    private ApiResponse changeTenant(ApiRequest request) {
        Caller caller = auth.admin(request);
        TenantChange body = RequestBodies.json(request, TenantChange.class);
        try {
            admin.assignTenant(request.pathParameter("name"), tenant(body.tenant()), caller.actor());
        } catch (AccountAdmin.AdminException e) {
            throw JsonAnswers.problemOf(e);
        }
        return ApiResponse.status(204);
    }

    static Optional<TenantId> tenant(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new TenantId(value));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("field 'tenant': " + e.getMessage());
        }
    }
}
