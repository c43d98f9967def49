package org.amtbus.app;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.amtbus.platform.config.Settings;
import org.amtbus.platform.kafka.KafkaClients;
import org.amtbus.platform.kafka.KafkaConfig;
import org.amtbus.platform.tls.TlsContexts;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Test support: a whole amtbus node in this JVM, in a temporary data directory, on random ports, with
 * helpers for real MQTT clients over TLS and a Kafka consumer. Use it per test class as
 * {@code @RegisterExtension static final RunningNode node = RunningNode.perClass();}, or start one
 * yourself with {@link #start(Path)}.
 */
final class RunningNode implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    Path dataDir;
    Node node;
    private final Runnable precondition;

    private RunningNode(Path dataDir, Node node, Runnable precondition) {
        this.dataDir = dataDir;
        this.node = node;
        this.precondition = precondition;
    }

    /** A node started before the class's tests and stopped after them. */
    static RunningNode perClass() {
        return perClass(() -> { });
    }

    /** As {@link #perClass()}, checking {@code precondition} (e.g. an assumption) before starting. */
    static RunningNode perClass(Runnable precondition) {
        return new RunningNode(null, null, precondition);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        precondition.run();
        RunningNode started = startFresh();
        this.dataDir = started.dataDir;
        this.node = started.node;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Starts a node on random ports in {@code dataDir} (created if needed, reused if it exists). */
    static RunningNode start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    /** As {@link #start(Path)}, with extra settings (e.g. an external Kafka or PostgreSQL). */
    static RunningNode start(Path dataDir, Map<String, String> extra) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> values = new java.util.HashMap<>(Map.of(
                "broker.mqtt.host", "127.0.0.1",
                "broker.mqtt.port", "0",
                "database.port", "0",
                "kafka.port", "0",
                "metrics.port", "0",
                "api.port", "0",
                "cira.host", "127.0.0.1",
                "cira.port", "0"));
        values.putAll(extra);
        Settings settings = Settings.of(values);
        return new RunningNode(dataDir, Node.start(NodeSettings.from(dataDir, settings)), () -> { });
    }

    static RunningNode startFresh() {
        try {
            return start(Files.createTempDirectory("amtbus-node-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int mqttPort() {
        return node.endpoints().mqttPort();
    }

    Path caFile() {
        return node.endpoints().caFile();
    }

    X509Certificate caCertificate() {
        try (var in = Files.newInputStream(caFile())) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String adminPassword() {
        try {
            return Files.readString(dataDir.resolve("admin-password"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An MQTT 5 client over TLS 1.3 trusting only this node's CA. */
    Mqtt5ClientBuilder mqttClient(String clientId) {
        return MqttClient.builder().useMqttVersion5()
                .identifier(clientId)
                .serverHost("127.0.0.1")
                .serverPort(mqttPort())
                .sslConfig()
                .trustManagerFactory(TlsContexts.trustManagerFactory(caCertificate()))
                .protocols(List.of("TLSv1.3"))
                .applySslConfig();
    }

    /** As {@link #mqttClient}, connecting from {@code source} (any 127/8 address), e.g. to test per-address lockout. */
    Mqtt5ClientBuilder mqttClientFrom(String clientId, String source) {
        return MqttClient.builder().useMqttVersion5()
                .identifier(clientId)
                .transportConfig()
                .serverHost("127.0.0.1")
                .serverPort(mqttPort())
                .localAddress(new java.net.InetSocketAddress(source, 0))
                .sslConfig()
                .trustManagerFactory(TlsContexts.trustManagerFactory(caCertificate()))
                .protocols(List.of("TLSv1.3"))
                .applySslConfig()
                .applyTransportConfig();
    }

    /** A connected client logged in as the superuser. */
    Mqtt5BlockingClient adminClient(String clientId) {
        Mqtt5BlockingClient client = mqttClient(clientId)
                .simpleAuth().username("admin").password(adminPassword().getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .buildBlocking();
        client.connect();
        return client;
    }

    /** The Prometheus text the node serves now. */
    String scrapeMetrics() {
        try {
            var client = java.net.http.HttpClient.newHttpClient();
            var response = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.endpoints().metricsUrl())).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("metrics answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A connection to the node's embedded PostgreSQL; close it after use. */
    org.amtbus.platform.db.Database database() {
        int port = Integer.parseInt(node.endpoints().jdbcUrl().replaceAll(".*:(\\d+)/.*", "$1"));
        return org.amtbus.platform.db.Database.connectToRunningEmbedded(dataDir, port);
    }

    int ciraPort() {
        return node.endpoints().ciraPort();
    }

    KafkaClients kafka() {
        return new KafkaClients(KafkaConfig.of(node.endpoints().kafkaBootstrap()));
    }

    /** Reads records of {@code topic} from the beginning until {@code predicate} has matched one, or times out. */
    static List<ConsumerRecord<String, byte[]>> pollUntil(Consumer<String, byte[]> consumer, Duration timeout,
                                                          java.util.function.Predicate<List<ConsumerRecord<String, byte[]>>> done) {
        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !done.test(seen)) {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        }
        return seen;
    }

    static String newClientId() {
        return "test-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public void close() {
        if (node != null) {
            node.close();
        }
    }
}
