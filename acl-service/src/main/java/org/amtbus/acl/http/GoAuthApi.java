package org.amtbus.acl.http;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.amtbus.acl.account.AccountName;
import org.amtbus.acl.level.Access;
import org.amtbus.acl.level.AccessLoader;
import org.amtbus.acl.login.LoginResult;
import org.amtbus.acl.login.PasswordAuthenticator;

/**
 * The mosquitto-go-auth compatible HTTP backend over TLS 1.3, so a Mosquitto broker (or any broker
 * with an HTTP auth hook) can use amtbus as its ACL service:
 * <ul>
 *   <li>{@code POST /api/v1/auth} {@code username, password, clientid}: 200 accepted, 403 refused;</li>
 *   <li>{@code POST /api/v1/superuser} {@code username}: 200 when a superuser, else 403;</li>
 *   <li>{@code POST /api/v1/aclcheck} {@code username, clientid, topic, acc}: acc 1 = receive a
 *       message on a topic, 2 = publish, 4 = subscribe with a filter; 200 allowed, 403 denied.</li>
 * </ul>
 * Bodies are form-encoded (go-auth's {@code params_mode form}) or JSON. A plain denial is always 403,
 * never 5xx (go-auth retries 5xx); malformed requests get 400. Requests run on virtual threads, so
 * Argon2id checks never block an event loop. Every decision is reported to the {@link Listener}.
 *
 * <p>The routes live on an {@link ApiServer}, shared with the admin API ({@link AdminApi#mount}).
 * Logins here are throttled per account only: the peer is the Mosquitto broker relaying its clients,
 * so counting its address would lock every client of that broker out at once.
 */
public final class GoAuthApi implements AutoCloseable {

    /** go-auth sends a few short fields; anything larger is not a real client. */
    static final int MAX_BODY_BYTES = 8 * 1024;
    /** The routes this class serves. */
    public static final String AUTH = "/api/v1/auth";
    public static final String SUPERUSER = "/api/v1/superuser";
    public static final String ACLCHECK = "/api/v1/aclcheck";

    /** Told about every decision (audit and metrics); must not block for long. */
    public interface Listener {
        void login(String username, String clientId, LoginResult result, String source);

        void denied(String action, String topic, String username, String clientId, String source);
    }

    private final ApiServer server;
    private final boolean ownsServer;
    private final PasswordAuthenticator passwords;
    private final AccessLoader access;
    private final Listener listener;

    private GoAuthApi(ApiServer server, boolean ownsServer, PasswordAuthenticator passwords, AccessLoader access,
                      Listener listener) {
        this.server = server;
        this.ownsServer = ownsServer;
        this.passwords = Objects.requireNonNull(passwords);
        this.access = Objects.requireNonNull(access);
        this.listener = Objects.requireNonNull(listener);
    }

    /** Starts an {@link ApiServer} on {@code address} with the go-auth routes; {@link #close()} stops it. */
    public static GoAuthApi start(InetSocketAddress address, SSLContext tls, PasswordAuthenticator passwords,
                                  AccessLoader access, Listener listener) {
        ApiServer server = ApiServer.start(address, tls);
        try {
            return mount(server, true, passwords, access, listener);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** Adds the go-auth routes to a running server, which stays the caller's to close. */
    public static GoAuthApi mount(ApiServer server, PasswordAuthenticator passwords, AccessLoader access, Listener listener) {
        return mount(server, false, passwords, access, listener);
    }

    private static GoAuthApi mount(ApiServer server, boolean owns, PasswordAuthenticator passwords, AccessLoader access,
                                   Listener listener) {
        GoAuthApi api = new GoAuthApi(Objects.requireNonNull(server), owns, passwords, access, listener);
        server.statusRoute("POST", AUTH, r -> api.serve(r, api::auth));
        server.statusRoute("POST", SUPERUSER, r -> api.serve(r, api::superuser));
        server.statusRoute("POST", ACLCHECK, r -> api.serve(r, api::aclcheck));
        return api;
    }

    /** The listener these routes are on, for mounting the admin API beside them. */
    public ApiServer server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    private interface Endpoint {
        int decide(Map<String, String> fields, String source);
    }

    private ApiResponse serve(ApiRequest request, Endpoint endpoint) {
        if (request.body().length > MAX_BODY_BYTES) {
            return ApiResponse.status(400);
        }
        Map<String, String> fields;
        try {
            fields = RequestBodies.fields(request, java.util.Set.of(), false);
        } catch (ApiProblem p) {
            return ApiResponse.status(400);
        }
        return ApiResponse.status(endpoint.decide(fields, request.sourceText()));
    }

    private int auth(Map<String, String> f, String source) {
        String username = f.get("username");
        String password = f.get("password");
        LoginResult result = passwords.authenticate(username,
                password == null ? null : password.getBytes(StandardCharsets.UTF_8));
        listener.login(username, f.get("clientid"), result, source);
        return result.isAccepted() ? 200 : 403;
    }

    private int superuser(Map<String, String> f, String source) {
        return accessOf(f.get("username")).map(a -> a.policy().isSuperuser()).orElse(false) ? 200 : 403;
    }

    private int aclcheck(Map<String, String> f, String source) {
        String username = f.get("username");
        String topic = f.get("topic");
        String acc = f.get("acc");
        if (topic == null || acc == null) {
            return 400;
        }
        Optional<Access> a = accessOf(username);
        boolean allowed = switch (acc) {
            case "1" -> a.map(x -> x.policy().canReceive(topic)).orElse(false);
            case "2" -> a.map(x -> x.policy().canPublish(topic)).orElse(false);
            case "4" -> a.map(x -> x.policy().canSubscribe(topic)).orElse(false);
            default -> false;
        };
        if (!allowed) {
            listener.denied(switch (acc) { case "2" -> "publish"; case "4" -> "subscribe"; default -> "receive"; },
                    topic, username, f.get("clientid"), source);
        }
        return allowed ? 200 : 403;
    }

    private Optional<Access> accessOf(String username) {
        return AccountName.tryParse(username).flatMap(access::load);
    }

    @Override
    public void close() {
        if (ownsServer) {
            server.close();
        }
    }
}
