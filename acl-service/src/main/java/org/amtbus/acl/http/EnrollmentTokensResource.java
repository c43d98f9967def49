package org.amtbus.acl.http;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.amtbus.acl.enrollment.EnrollmentTokens;
import org.amtbus.schemas.agent.AgentName;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;

/**
 * {@code POST /api/v1/devices/{guid}/enrollment-tokens}: a one-time enrollment token for the device's agent
 * ({@link EnrollmentTokens}; audited there). Admin role only.
 *
 * <p>Invariant: the token is in this one response body and nowhere else (not a log line, audit event or later
 * answer); the store keeps only its hash.
 */
final class EnrollmentTokensResource {

    static final String PATH = "/api/v1/devices/{guid}/enrollment-tokens";

    record NewToken(String tenant, Integer minutes) { }

    record Issued(String guid, String tenant, String username, String token, Instant expiresAt) {
        @Override
        public String toString() {
            return "Issued[guid=" + guid + ", tenant=" + tenant + ", token=[hidden], expiresAt=" + expiresAt + "]";
        }
    }

    private final EnrollmentTokens tokens;
    private final BearerAuth auth;

    EnrollmentTokensResource(EnrollmentTokens tokens, BearerAuth auth) {
        this.tokens = Objects.requireNonNull(tokens);
        this.auth = Objects.requireNonNull(auth);
    }

    void mount(ApiServer server) {
        server.route("POST", PATH, this::issue);
    }

    private ApiResponse issue(ApiRequest request) {
        Caller caller = auth.admin(request);
        DeviceGuid guid;
        try {
            guid = new DeviceGuid(request.pathParameter("guid").toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("guid: " + e.getMessage());
        }
        NewToken body = RequestBodies.json(request, NewToken.class);
        TenantId tenant = UsersResource.tenant(JsonAnswers.required(body.tenant(), "tenant", 63)).orElseThrow();
        int minutes = body.minutes() == null ? (int) EnrollmentTokens.DEFAULT_LIFETIME.toMinutes() : body.minutes();
        if (minutes < 1 || minutes > 1440) {
            throw ApiProblem.badRequest("field 'minutes' must be 1 to 1440");
        }
        EnrollmentTokens.Issued issued = tokens.issue(tenant, guid, Duration.ofMinutes(minutes), caller.actor());
        try {
            return JsonAnswers.json(201, new Issued(guid.value(), tenant.value(), AgentName.of(guid),
                    new String(issued.token().revealChars()), issued.expiresAt()));
        } finally {
            issued.token().destroy();
        }
    }
}
