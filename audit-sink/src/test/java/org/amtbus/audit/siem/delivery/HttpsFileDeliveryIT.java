package org.amtbus.audit.siem.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.amtbus.audit.store.AuditStore;
import org.amtbus.audit.store.IncomingEvent;
import org.amtbus.audit.testing.AuditDatabase;
import org.amtbus.audit.testing.TestEvents;
import org.amtbus.platform.secret.SealedFileSecretStore;
import org.amtbus.platform.secret.Secret;
import org.amtbus.platform.secret.SecretName;
import org.amtbus.platform.secret.SecretStore;
import org.amtbus.platform.tls.CertificateAuthority;
import org.amtbus.platform.tls.IssuedCertificate;
import org.amtbus.platform.tls.TlsContexts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HEC over HTTPS (a JDK HTTPS server on loopback standing in for Splunk: TLS 1.3, the token header checked)
 * and JSON lines to a file; a receiver down long enough for the spool to fill: the output stops reading
 * the store, says so, and delivers everything once the receiver is back.
 */
class HttpsFileDeliveryIT {

    private static final SiemOutput.Timing FAST = new SiemOutput.Timing(Duration.ofMillis(100), Duration.ofMillis(100),
            Duration.ofSeconds(1));
    private static final SecretName TOKEN = new SecretName("siem/hec-token");

    @TempDir
    Path dir;
    private AuditDatabase db;
    private AuditStore store;
    private SecretStore secrets;
    private String token;
    private CertificateAuthority ca;
    private HttpsServer server;
    private SiemDelivery delivery;
    private final Set<String> authorizations = ConcurrentHashMap.newKeySet();
    private final List<JsonNode> received = java.util.Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() throws IOException {
        db = AuditDatabase.create();
        store = new AuditStore(db.dataSource());
        secrets = SealedFileSecretStore.open(dir.resolve("secrets"));
        token = java.util.UUID.randomUUID().toString();
        secrets.put(TOKEN, Secret.ofChars(token.toCharArray()));
        ca = CertificateAuthority.loadOrCreate(dir.resolve("ca"), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        if (delivery != null) {
            delivery.close();
        }
        if (server != null) {
            server.stop(0);
        }
        secrets.close();
        db.close();
    }

    @Test
    void hecEventsSpoolUntilFullWhileSplunkIsDownThenAllArriveWithTheToken() throws IOException {
        // given: a HEC endpoint that is not up yet, and a spool that holds about 4 MiB
        int port = freePort();
        SiemOutputConfig hec = SiemOutputConfig.https("splunk", SiemFormat.HEC,
                URI.create("https://localhost:" + port + "/services/collector/event"), Optional.of(TOKEN))
                .withSpoolMaxBytes(4L << 20);
        delivery = SiemDelivery.start(db.dataSource(), secrets,
                SiemConfig.of(List.of(hec), dir.resolve("spool"), "node-1", "0.1.0").withTiming(FAST),
                Optional.of(new SiemTls(ca.certificate(), Optional.empty())), null);
        SiemOutput output = delivery.outputs().getFirst();
        Set<String> sent = storeEvents(8000); // ~ 8000 x 800 bytes: more than the spool holds

        // when: it stays down
        await("spool full").atMost(Duration.ofSeconds(60)).until(output::spoolFull);
        assertThat(output.pendingRecords()).isLessThan(8000).isGreaterThan(1000);
        assertThat(output.spoolBytes()).isLessThanOrEqualTo(4L << 20);

        // then: once Splunk is up, everything arrives (the rest straight from the store)
        startHec(port);
        await("8000 events at HEC").atMost(Duration.ofSeconds(120)).until(() -> receivedIds().containsAll(sent));
        assertThat(authorizations).containsExactly("Splunk " + token);
        await("spool drained").atMost(Duration.ofSeconds(10)).until(() -> !output.spoolFull() && output.pendingRecords() == 0);
        JsonNode one = received.getFirst();
        assertThat(one.get("time").isNumber()).isTrue();
        assertThat(one.get("time").asDouble()).isLessThan(1e11); // seconds, not milliseconds
        assertThat(one.get("event").get("schema").asText()).isEqualTo("amtbus.audit-event/v1");
    }

    @Test
    void ecsAndOcsfLinesGoToFilesOneJsonPerLine() throws IOException {
        // given
        Path ecsFile = dir.resolve("out/ecs.json");
        Path ocsfFile = dir.resolve("out/ocsf.json");
        delivery = SiemDelivery.start(db.dataSource(), secrets, SiemConfig.of(List.of(
                        SiemOutputConfig.file("ecs", SiemFormat.ECS, ecsFile),
                        SiemOutputConfig.file("ocsf", SiemFormat.OCSF, ocsfFile)), dir.resolve("spool"), "node-1", "0.1.0")
                .withTiming(FAST), Optional.empty(), null);

        // when
        Set<String> sent = storeEvents(500);

        // then
        await("500 ECS lines").atMost(Duration.ofSeconds(30)).until(() -> lines(ecsFile).size() >= 500);
        await("500 OCSF lines").atMost(Duration.ofSeconds(30)).until(() -> lines(ocsfFile).size() >= 500);
        ObjectMapper mapper = new ObjectMapper();
        Set<String> ecsIds = new java.util.HashSet<>();
        for (String line : lines(ecsFile)) {
            ecsIds.add(mapper.readTree(line).get("event").get("id").asText());
        }
        Set<String> ocsfIds = new java.util.HashSet<>();
        for (String line : lines(ocsfFile)) {
            ocsfIds.add(mapper.readTree(line).get("metadata").get("uid").asText());
        }
        assertThat(ecsIds).isEqualTo(sent);
        assertThat(ocsfIds).isEqualTo(sent);
    }

    private void startHec(int port) throws IOException {
        IssuedCertificate identity = ca.issueServer("localhost", List.of("localhost"),
                List.of(InetAddress.getLoopbackAddress()), Duration.ofDays(1));
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(TlsContexts.jdkServerContext(identity)));
        server.createContext("/services/collector/event", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = exchange.getRequestBody().readAllBytes();
            try (MappingIterator<JsonNode> it = new ObjectMapper().readerFor(JsonNode.class).readValues(body)) {
                it.forEachRemaining(received::add);
            }
            byte[] answer = "{\"text\":\"Success\",\"code\":0}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    private Set<String> receivedIds() {
        synchronized (received) {
            return received.stream().map(n -> n.get("fields").get("event_id").asText()).collect(Collectors.toSet());
        }
    }

    private Set<String> storeEvents(int n) {
        Set<String> ids = new java.util.HashSet<>();
        for (int done = 0; done < n; done += 1000) {
            List<IncomingEvent> batch = new ArrayList<>();
            for (int i = 0; i < Math.min(1000, n - done); i++) {
                batch.add(TestEvents.incoming("router-1"));
            }
            store.append(batch, List.of());
            batch.forEach(e -> ids.add(e.event().id().toString()));
        }
        delivery.poke();
        return ids;
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
