package org.amtbus.platform.metrics;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the process's metrics in the Prometheus text format at {@code GET /metrics}.
 *
 * <p>Invariants: read-only, no other path answers, and it binds to loopback unless configured
 * otherwise (a warning is logged then, since the endpoint has no authentication). Requests run on
 * virtual threads.
 */
public final class MetricsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
    public static final int DEFAULT_PORT = 9464;

    private final PrometheusMeterRegistry registry;
    private final HttpServer server;

    private MetricsServer(PrometheusMeterRegistry registry, HttpServer server) {
        this.registry = registry;
        this.server = server;
    }

    /** A registry for the process's meters, scraped by {@link #start}. */
    public static PrometheusMeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    public static MetricsServer start(PrometheusMeterRegistry registry, InetAddress host, int port) {
        return start(registry, new HealthChecks(), host, port);
    }

    /**
     * Serves {@code GET /metrics} (Prometheus text) and {@code GET /health}: 200 with {@code up} and each check's
     * state when every check passes, 503 naming the failing ones otherwise (for container health checks and
     * load balancers).
     */
    public static MetricsServer start(PrometheusMeterRegistry registry, HealthChecks health, InetAddress host, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
            server.createContext("/", exchange -> {
                try (exchange) {
                    if ("GET".equals(exchange.getRequestMethod()) && "/health".equals(exchange.getRequestURI().getPath())) {
                        Map<String, Boolean> states = health.evaluate();
                        boolean up = states.values().stream().allMatch(b -> b);
                        StringBuilder text = new StringBuilder(up ? "up\n" : "down\n");
                        states.forEach((name, ok) -> text.append(name).append(' ').append(ok ? "up" : "down").append('\n'));
                        byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
                        exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
                        exchange.sendResponseHeaders(up ? 200 : 503, body.length);
                        try (OutputStream out = exchange.getResponseBody()) {
                            out.write(body);
                        }
                        return;
                    }
                    if (!"GET".equals(exchange.getRequestMethod()) || !"/metrics".equals(exchange.getRequestURI().getPath())) {
                        exchange.sendResponseHeaders(404, -1);
                        return;
                    }
                    byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            });
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            if (!host.isLoopbackAddress()) {
                LOG.warn("event=metrics.exposed host={} reason=\"the metrics endpoint has no authentication\"", host.getHostAddress());
            }
            return new MetricsServer(registry, server);
        } catch (IOException e) {
            throw new UncheckedIOException("metrics.port: cannot listen on " + host.getHostAddress() + ":" + port
                    + " (" + e.getMessage() + ")", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }


    @Override
    public void close() {
        server.stop(0);
        registry.close();
    }
}
