package org.amtbus.acl.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.amtbus.acl.account.AccountName;
import org.amtbus.acl.level.Access;
import org.amtbus.acl.level.AccessLoader;
import org.amtbus.acl.login.LoginResult;
import org.amtbus.acl.login.PasswordAuthenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 */
public final class GoAuthApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GoAuthApi.class);
    /** go-auth sends a few short fields; anything larger is not a real client. */
    static final int MAX_BODY_BYTES = 8 * 1024;

    /** Told about every decision (audit and metrics); must not block for long. */
    public interface Listener {
        void login(String username, String clientId, LoginResult result, String source);

        void denied(String action, String topic, String username, String clientId, String source);
    }

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final PasswordAuthenticator passwords;
    private final AccessLoader access;
    private final Listener listener;
    private final ObjectMapper json = new ObjectMapper();

    private GoAuthApi(HttpsServer server, PasswordAuthenticator passwords, AccessLoader access, Listener listener) {
        this.server = server;
        this.passwords = passwords;
        this.access = access;
        this.listener = listener;
    }

    public static GoAuthApi start(InetSocketAddress address, SSLContext tls, PasswordAuthenticator passwords,
                                  AccessLoader access, Listener listener) {
        try {
            HttpsServer server = HttpsServer.create(address, 64);
            server.setHttpsConfigurator(new HttpsConfigurator(tls) {
                @Override
                public void configure(HttpsParameters params) {
                    var p = tls.getDefaultSSLParameters();
                    p.setProtocols(new String[] {"TLSv1.3"});
                    params.setSSLParameters(p);
                }
            });
            GoAuthApi api = new GoAuthApi(server, Objects.requireNonNull(passwords), Objects.requireNonNull(access),
                    Objects.requireNonNull(listener));
            server.createContext("/api/v1/auth", exchange -> api.serve(exchange, api::auth));
            server.createContext("/api/v1/superuser", exchange -> api.serve(exchange, api::superuser));
            server.createContext("/api/v1/aclcheck", exchange -> api.serve(exchange, api::aclcheck));
            server.setExecutor(api.executor);
            server.start();
            return api;
        } catch (IOException e) {
            throw new UncheckedIOException("api.port: cannot listen on " + address + " (" + e.getMessage() + ")", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private interface Endpoint {
        int decide(Map<String, String> fields, String source);
    }

    private void serve(HttpExchange exchange, Endpoint endpoint) throws IOException {
        try (exchange) {
            int status;
            if (!"POST".equals(exchange.getRequestMethod())) {
                status = 405;
            } else {
                String source = exchange.getRemoteAddress().getAddress().getHostAddress();
                Optional<Map<String, String>> fields = parse(exchange);
                status = fields.map(f -> endpoint.decide(f, source)).orElse(400);
            }
            exchange.sendResponseHeaders(status, -1);
        } catch (RuntimeException e) {
            LOG.error("event=api.error path={}", exchange.getRequestURI().getPath(), e);
            exchange.sendResponseHeaders(500, -1);
        }
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

    private Optional<Map<String, String>> parse(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            return Optional.empty();
        }
        String type = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse("");
        Map<String, String> fields = new HashMap<>();
        try {
            if (type.startsWith("application/json")) {
                JsonNode node = json.readTree(body);
                if (node == null || !node.isObject()) {
                    return Optional.empty();
                }
                node.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue().asText()));
            } else {
                for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
                    if (pair.isEmpty()) {
                        continue;
                    }
                    int eq = pair.indexOf('=');
                    String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    fields.put(key, value);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.of(fields);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
