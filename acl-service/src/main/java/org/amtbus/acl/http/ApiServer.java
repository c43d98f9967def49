package org.amtbus.acl.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.amtbus.schemas.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTPS listener of the acl-service (TLS 1.3 only, JDK {@link HttpsServer}) and its route
 * table: the go-auth endpoints ({@link GoAuthApi}) and the admin API ({@link AdminApi}) are routes on it.
 *
 * <p>Invariants: a request reaches a handler only when its path matches a route template exactly
 * (no prefix matching) and its method is the route's; anything else is 404 or 405. Bodies above
 * {@link #MAX_BODY_BYTES} are refused (413) before a handler runs. Every answer carries
 * {@code Cache-Control: no-store} (tokens and generated passwords pass through here). A handler's
 * {@link ApiProblem} becomes problem+json; any other exception a bare 500, logged with the path only.
 * Handlers run on virtual threads, so blocking (Argon2id, JDBC) never holds a platform thread. Routes
 * may be added after {@link #start}.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    /** No request of this API is larger: the biggest is a domain's .pfx (a 4-certificate chain) in base64. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** Problem type of an unknown path, so a test can tell "no such route" from "no such thing". */
    public static final String NO_ROUTE = "urn:amtbus:problem:no-route";
    private static final int BACKLOG = 64;

    /** A method and a path template such as {@code /api/v1/users/{name}}. */
    public record Route(String method, String template) implements Comparable<Route> {
        @Override
        public int compareTo(Route o) {
            int c = template.compareTo(o.template);
            return c != 0 ? c : method.compareTo(o.method);
        }
    }

    /** Answers one request; runs on a virtual thread and may block. */
    @FunctionalInterface
    public interface Handler {
        ApiResponse handle(ApiRequest request) throws IOException;
    }

    private record Entry(Route route, String[] segments, Handler handler, boolean problemJson) { }

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final ObjectMapper json = Json.newMapper();

    private ApiServer(HttpsServer server) {
        this.server = server;
    }

    /** Listens on {@code address} with TLS 1.3 only. */
    public static ApiServer start(InetSocketAddress address, SSLContext tls) {
        try {
            HttpsServer server = HttpsServer.create(address, BACKLOG);
            server.setHttpsConfigurator(new HttpsConfigurator(tls) {
                @Override
                public void configure(HttpsParameters params) {
                    var p = tls.getDefaultSSLParameters();
                    p.setProtocols(new String[] {"TLSv1.3"});
                    params.setSSLParameters(p);
                }
            });
            ApiServer api = new ApiServer(server);
            server.createContext("/", api::dispatch);
            server.setExecutor(api.executor);
            server.start();
            return api;
        } catch (IOException e) {
            throw new UncheckedIOException("api.port: cannot listen on " + address + " (" + e.getMessage() + ")", e);
        }
    }

    /** Adds a route whose refusals are problem+json. */
    public void route(String method, String template, Handler handler) {
        add(method, template, handler, true);
    }

    /** Adds a route whose refusals are bare status codes (go-auth reads only the status). */
    public void statusRoute(String method, String template, Handler handler) {
        add(method, template, handler, false);
    }

    private void add(String method, String template, Handler handler, boolean problemJson) {
        Route route = new Route(Objects.requireNonNull(method), Objects.requireNonNull(template));
        if (!template.startsWith("/") || entries.stream().anyMatch(e -> e.route().equals(route))) {
            throw new IllegalArgumentException("route " + method + " " + template + " is invalid or taken");
        }
        entries.add(new Entry(route, template.substring(1).split("/", -1), Objects.requireNonNull(handler), problemJson));
    }

    /** Every route served, sorted by template then method. */
    public Set<Route> routes() {
        return entries.stream().map(Entry::route).collect(Collectors.toCollection(TreeSet::new));
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try (exchange) {
            ApiResponse response;
            boolean problemJson = true;
            try {
                String[] path = exchange.getRequestURI().getRawPath().substring(1).split("/", -1);
                List<Entry> matching = new ArrayList<>();
                Map<String, String> parameters = null;
                Entry chosen = null;
                for (Entry e : entries) {
                    Optional<Map<String, String>> p = match(e.segments(), path);
                    if (p.isPresent()) {
                        matching.add(e);
                        if (e.route().method().equals(exchange.getRequestMethod())) {
                            chosen = e;
                            parameters = p.get();
                        }
                    }
                }
                if (matching.isEmpty()) {
                    throw new ApiProblem(404, NO_ROUTE, "no such resource", Map.of());
                }
                problemJson = matching.getFirst().problemJson();
                if (chosen == null) {
                    String allow = matching.stream().map(e -> e.route().method()).sorted().collect(Collectors.joining(", "));
                    throw new ApiProblem(405, "about:blank", "allowed methods: " + allow, Map.of("Allow", allow));
                }
                problemJson = chosen.problemJson();
                byte[] body = readBody(exchange);
                ApiRequest request = new ApiRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        parameters, query(exchange.getRequestURI().getRawQuery()), exchange.getRequestHeaders(), body,
                        exchange.getRemoteAddress().getAddress());
                response = chosen.handler().handle(request);
            } catch (ApiProblem p) {
                response = problemJson ? problem(p) : new ApiResponse(p.status(), null, new byte[0], p.headers());
            } catch (RuntimeException e) {
                LOG.error("event=api.error method={} path={}", exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath(), e);
                response = problemJson ? problem(new ApiProblem(500, "internal error; see the server log"))
                        : ApiResponse.status(500);
            }
            send(exchange, response);
        }
    }

    private static Optional<Map<String, String>> match(String[] template, String[] path) {
        if (template.length != path.length) {
            return Optional.empty();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                if (path[i].isEmpty()) {
                    return Optional.empty();
                }
                parameters.put(t.substring(1, t.length() - 1), decode(path[i], false));
            } else if (!t.equals(path[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(parameters);
    }

    private static String decode(String raw, boolean plusIsSpace) {
        try {
            return URLDecoder.decode(plusIsSpace ? raw : raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("the URL has an invalid %-escape");
        }
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        if (raw.length() > MAX_BODY_BYTES) {
            throw ApiProblem.badRequest("the query is too long");
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq), true);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
            query.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new ApiProblem(413, "the body is larger than " + MAX_BODY_BYTES + " bytes");
            }
            return body;
        }
    }

    private ApiResponse problem(ApiProblem p) {
        ObjectNode node = json.createObjectNode();
        node.put("type", p.type());
        node.put("title", title(p.status()));
        node.put("status", p.status());
        node.put("detail", p.getMessage());
        try {
            return new ApiResponse(p.status(), "application/problem+json", json.writeValueAsBytes(node), p.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Server Error" : "Client Error";
        };
    }

    private static void send(HttpExchange exchange, ApiResponse response) throws IOException {
        var headers = exchange.getResponseHeaders();
        headers.set("Cache-Control", "no-store");
        headers.set("X-Content-Type-Options", "nosniff");
        response.headers().forEach(headers::set);
        if (response.body().length == 0) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        headers.set("Content-Type", response.contentType());
        exchange.sendResponseHeaders(response.status(), response.body().length);
        exchange.getResponseBody().write(response.body());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
