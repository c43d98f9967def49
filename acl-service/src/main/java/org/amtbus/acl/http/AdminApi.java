package org.amtbus.acl.http;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.amtbus.acl.account.AccountStore;
import org.amtbus.acl.admin.AccountAdmin;
import org.amtbus.acl.login.PasswordAuthenticator;
import org.amtbus.acl.token.BearerTokens;
import org.amtbus.acl.token.TokenService;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.platform.device.DeviceEnrollment;
import org.amtbus.platform.device.DeviceRegistry;

/**
 * The HTTPS admin API: users and service accounts, grants, devices, the token endpoint and the OpenAPI
 * document, mounted as routes on the {@link ApiServer} that also serves go-auth ({@link GoAuthApi}).
 *
 * <p>Invariants: every resource route needs a bearer token ({@link BearerAuth}) and, except a
 * password change of one's own, the admin role (superuser); changes go through {@link AccountAdmin} and
 * {@link DeviceEnrollment}, the same audited paths as the CLI; {@code /api/v1/authorize} exists only
 * when {@link Settings#authorizeEnabled()}.
 */
public final class AdminApi {

    /**
     * @param authorizeEnabled whether {@code POST /api/v1/authorize} issues tokens (404 when off)
     * @param tokenTtl         lifetime of the tokens it issues ({@link #MIN_TOKEN_TTL} to {@link TokenService#MAX_TTL})
     */
    public record Settings(boolean authorizeEnabled, Duration tokenTtl) {
        public Settings {
            if (tokenTtl.compareTo(MIN_TOKEN_TTL) < 0 || tokenTtl.compareTo(TokenService.MAX_TTL) > 0) {
                throw new IllegalArgumentException("api.token.ttl must be between 1 min and 24 h");
            }
        }

        /** The endpoint on, tokens of {@link TokenService#DEFAULT_TTL}. */
        public static Settings defaults() {
            return new Settings(true, TokenService.DEFAULT_TTL);
        }
    }

    public static final Duration MIN_TOKEN_TTL = Duration.ofMinutes(1);

    /** What the API works on; all shared with the rest of the node. */
    public record Services(AccountStore accounts, AccountAdmin admin, PasswordAuthenticator passwords, TokenService tokens,
                           BearerTokens bearerTokens, DeviceEnrollment enrollment, DeviceRegistry devices, AuditLog audit,
                           Clock clock) {
        public Services {
            Objects.requireNonNull(accounts);
            Objects.requireNonNull(admin);
            Objects.requireNonNull(passwords);
            Objects.requireNonNull(tokens);
            Objects.requireNonNull(bearerTokens);
            Objects.requireNonNull(enrollment);
            Objects.requireNonNull(devices);
            Objects.requireNonNull(audit);
            Objects.requireNonNull(clock);
        }
    }

    private AdminApi() {
    }

    /** Adds the admin, authorize and OpenAPI routes to {@code server}. */
    public static void mount(ApiServer server, Settings settings, Services s) {
        mount(server, settings, s, java.util.List.of());
    }

    /**
     * Adds the admin, authorize and OpenAPI routes to {@code server}, and the admin routes of
     * {@code extensions} (modules this one cannot depend on, e.g. provisioning profiles and domains) behind
     * the same bearer-token check.
     */
    public static void mount(ApiServer server, Settings settings, Services s, java.util.List<AdminRoutes.Extension> extensions) {
        BearerAuth auth = new BearerAuth(s.bearerTokens(), s.accounts(), s.audit());
        AdminRoutes routes = new AdminRoutes(server, auth);
        extensions.forEach(e -> e.mount(routes));
        new UsersResource(s.admin(), s.passwords(), auth, s.audit()).mount(server);
        new GrantsResource(s.admin(), auth).mount(server);
        new DevicesResource(s.enrollment(), s.devices(), auth, s.clock()).mount(server);
        new AuthorizeEndpoint(settings.authorizeEnabled(), settings.tokenTtl(), s.passwords(), s.tokens(), s.audit())
                .mount(server);
        new OpenApiDocument().mount(server);
    }

    /** Adds {@code POST /api/v1/devices/{guid}/enrollment-tokens} (agent enrollment tokens) to {@code server}. */
    public static void mountEnrollmentTokens(ApiServer server, Services s,
                                             org.amtbus.acl.enrollment.EnrollmentTokens tokens) {
        new EnrollmentTokensResource(tokens, new BearerAuth(s.bearerTokens(), s.accounts(), s.audit())).mount(server);
    }
}
