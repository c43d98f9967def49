package org.amtbus.acl.http;

import java.io.IOException;
import java.util.Objects;
import org.amtbus.schemas.model.AuditEvent;

/**
 * The admin API's seam for modules the acl-service does not depend on (the provisioning worker's
 * profiles and domains): they add routes here, and the node wires them in through
 * {@link AdminApi#mount(ApiServer, AdminApi.Settings, AdminApi.Services, java.util.List)}.
 *
 * <p>Invariant: every route added through {@link #admin} runs its handler only for a caller with a valid
 * bearer token of a superuser (401/403 and their audit events otherwise, exactly like the built-in admin
 * routes); bodies bind strictly ({@link #body}); refusals are {@link ApiProblem}s, answered as RFC 9457
 * problem details. Thread-safe.
 */
public final class AdminRoutes {

    /** Answers an admin request; {@code actor} is the authenticated superuser, for the audit trail. */
    @FunctionalInterface
    public interface Handler {
        ApiResponse handle(ApiRequest request, AuditEvent.Actor actor) throws IOException;
    }

    /** A module's admin routes. */
    @FunctionalInterface
    public interface Extension {
        void mount(AdminRoutes routes);
    }

    private final ApiServer server;
    private final BearerAuth auth;

    AdminRoutes(ApiServer server, BearerAuth auth) {
        this.server = Objects.requireNonNull(server);
        this.auth = Objects.requireNonNull(auth);
    }

    /** Adds a route for superusers only. */
    public void admin(String method, String template, Handler handler) {
        Objects.requireNonNull(handler);
        server.route(method, template, request -> handler.handle(request, auth.admin(request).actor()));
    }

    /** Binds a JSON body strictly to {@code type} (415, or 400 naming the field and never its value). */
    public static <T> T body(ApiRequest request, Class<T> type) {
        return RequestBodies.json(request, type);
    }

    public static ApiResponse json(int status, Object value) {
        return JsonAnswers.json(status, value);
    }

    /** The value, or 400 when it is missing or longer than {@code maxLength}. */
    public static String required(String value, String field, int maxLength) {
        return JsonAnswers.required(value, field, maxLength);
    }
}
