package org.amtbus.audit.siem.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.amtbus.audit.siem.Cef;
import org.amtbus.audit.siem.Syslog;
import org.amtbus.audit.store.AuditStore;
import org.amtbus.audit.store.IncomingEvent;
import org.amtbus.audit.testing.AuditDatabase;
import org.amtbus.audit.testing.Rsyslog;
import org.amtbus.audit.testing.TestEvents;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.TenantId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RFC 5425 feed received by a real rsyslog (rsyslog-openssl, TLS 1.3, mutual TLS): what rsyslog
 * parsed matches what the trail holds, hostile characters included; and a receiver that is down for a
 * while loses nothing: events wait in the spool and all arrive once it is back.
 *
 * <p>Needs Debian's {@code rsyslog} and {@code rsyslog-openssl} ({@code apt-get install -y rsyslog
 * rsyslog-openssl}); skipped with that message when they are absent.
 */
class SyslogTlsDeliveryIT {

    /** Everything an AuditEvent's free text may hold that a syslog or CEF parser could trip on. */
    static final String HOSTILE = "a|b=c\\d]e\"f ünïcödé 😀 suser=root cs1=forged [x@1 y=\"z\"] \\] \\\" end\\";
    private static final SiemOutput.Timing FAST = new SiemOutput.Timing(Duration.ofMillis(100), Duration.ofMillis(100),
            Duration.ofSeconds(1));

    @TempDir
    Path dir;
    private AuditDatabase db;
    private AuditStore store;
    private Rsyslog rsyslog;
    private SiemDelivery delivery;

    @BeforeEach
    void setUp() {
        assumeTrue(Rsyslog.installed(), "rsyslog with rsyslog-openssl is not installed: apt-get install -y rsyslog "
                + "rsyslog-openssl (skipping the real RFC 5425 receiver tests)");
        db = AuditDatabase.create();
        store = new AuditStore(db.dataSource());
        rsyslog = Rsyslog.prepare(dir.resolve("rsyslog"));
    }

    @AfterEach
    void tearDown() {
        if (delivery != null) {
            delivery.close();
        }
        if (rsyslog != null) {
            rsyslog.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void rsyslogParsesEveryFieldOfTheStructuredDataAndTheCefLineExactly() {
        // given
        rsyslog.start();
        List<AuditEvent> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.add(hostile(i));
        }
        store.append(events.stream().map(e -> TestEvents.incoming("broker-1", e)).toList(), List.of());

        // when
        delivery = start(List.of(
                SiemOutputConfig.syslogTls("syslog", SiemFormat.RFC5424, "localhost", rsyslog.port(), true),
                SiemOutputConfig.syslogTls("cef", SiemFormat.CEF, "127.0.0.1", rsyslog.port(), true)));

        // then
        await("all 40 messages at rsyslog").atMost(Duration.ofSeconds(60)).until(() -> rsyslog.received().size() >= 40);
        List<JsonNode> received = rsyslog.received();
        Map<String, JsonNode> sdByEventId = new HashMap<>();
        Map<String, String> cefByEventId = new HashMap<>();
        for (JsonNode message : received) {
            JsonNode sd = message.path("$!").path("rfc5424-sd").path("audit@" + Syslog.DOCUMENTATION_PEN);
            if (!sd.isMissingNode()) {
                sdByEventId.put(sd.get("eventId").asText(), message);
            } else {
                String msg = message.get("msg").asText();
                assertThat(msg).startsWith("CEF:0|amtbus|amtbus|0.1.0|auth.login|auth login|5|");
                String id = msg.substring(msg.indexOf("externalId=") + 11, msg.indexOf("externalId=") + 47);
                cefByEventId.put(id, msg);
            }
        }
        for (int i = 0; i < events.size(); i++) {
            AuditEvent event = events.get(i);
            JsonNode message = sdByEventId.get(event.id().toString());
            assertThat(message).as("SD message of event %d", i).isNotNull();
            JsonNode sd = message.path("$!").path("rfc5424-sd").path("audit@" + Syslog.DOCUMENTATION_PEN);
            assertThat(sd.get("reason").asText()).isEqualTo(event.reason());
            assertThat(sd.get("target").asText()).isEqualTo(event.target());
            assertThat(sd.get("actor").asText()).isEqualTo(event.actor().name());
            assertThat(sd.get("tenant").asText()).isEqualTo("acme");
            assertThat(sd.get("source").asText()).isEqualTo(event.source());
            assertThat(sd.get("outcome").asText()).isEqualTo("failure");
            assertThat(sd.get("stream").asText()).isEqualTo("broker-1");
            assertThat(sd.get("seq").asText()).isEqualTo(Long.toString(i + 1));
            assertThat(sd.get("time").asText()).isEqualTo(Long.toString(event.time().toEpochMilli()));
            assertThat(message.get("msgid").asText()).isEqualTo("AUTH_LOGIN");
            assertThat(message.get("procid").asText()).isEqualTo("broker-1");
            assertThat(message.get("app-name").asText()).isEqualTo("amtbus");
            assertThat(message.get("timereported").asText()).startsWith(event.time().toString().substring(0, 19));

            String cef = cefByEventId.get(event.id().toString());
            assertThat(cef).as("CEF message of event %d", i).isNotNull()
                    .contains(" reason=" + Cef.extension(event.reason(), 1023) + " ")
                    .contains(" request=" + Cef.extension(event.target(), 1023) + " ");
        }
    }

    @Test
    void eventsSpoolWhileTheReceiverIsDownAndAllArriveOnceItIsBack() {
        // given: a receiver that is not running yet
        delivery = start(List.of(SiemOutputConfig.syslogTls("syslog", SiemFormat.RFC5424, "localhost", rsyslog.port(), true)));
        SiemOutput output = delivery.outputs().getFirst();
        Set<String> sent = storeEvents(150);

        // when: it stays down
        await("150 events spooled, deliveries failing").atMost(Duration.ofSeconds(30))
                .until(() -> output.pendingRecords() == 150 && output.failureCount() >= 2 && output.receiverDown());

        // then: once it is up, all arrive
        rsyslog.start();
        await("150 events at rsyslog").atMost(Duration.ofSeconds(60)).until(() -> receivedIds().containsAll(sent));
        await("spool drained").atMost(Duration.ofSeconds(10)).until(() -> output.pendingRecords() == 0);

        // when: it goes down in the middle of a stream and comes back
        rsyslog.stop();
        sent.addAll(storeEvents(150));
        await("deliveries failing again").atMost(Duration.ofSeconds(30))
                .until(() -> output.receiverDown() && output.pendingRecords() > 0);
        rsyslog.start();

        // then: none lost (duplicates are allowed: at least once, deduplicated by event id)
        await("all 300 events at rsyslog").atMost(Duration.ofSeconds(60)).until(() -> receivedIds().containsAll(sent));
        List<String> all = rsyslog.received().stream().map(SyslogTlsDeliveryIT::eventId).toList();
        assertThat(Set.copyOf(all)).containsExactlyInAnyOrderElementsOf(sent);
        // the output counts a batch only after its confirmation wait, which may end after rsyslog wrote it
        await("all 300 confirmed").atMost(Duration.ofSeconds(10)).until(() -> output.deliveredCount() >= 300);
    }

    /** Delivery rate to rsyslog over TLS; run with -Daudit.measure=true (prints, asserts only completeness). */
    @Test
    void measuresDeliveryRate() {
        assumeTrue(Boolean.getBoolean("audit.measure"), "a measurement: run with -Daudit.measure=true");
        // given: 20,000 events in the trail, rsyslog up
        rsyslog.start();
        delivery = start(List.of());
        delivery.close();
        Set<String> sent = new java.util.HashSet<>();
        for (int b = 0; b < 20; b++) {
            List<IncomingEvent> batch = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                batch.add(TestEvents.incoming("gateway-1"));
            }
            store.append(batch, List.of());
            batch.forEach(e -> sent.add(e.event().id().toString()));
        }

        // when
        long t0 = System.nanoTime();
        delivery = start(List.of(SiemOutputConfig.syslogTls("syslog", SiemFormat.RFC5424, "localhost", rsyslog.port(), true)));
        SiemOutput output = delivery.outputs().getFirst();
        await("20,000 delivered").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> output.deliveredCount() >= 20_000);
        double seconds = (System.nanoTime() - t0) / 1e9;
        await("20,000 at rsyslog").atMost(Duration.ofMinutes(2)).until(() -> receivedIds().containsAll(sent));

        // then
        System.out.printf("siem measure: %d events store -> spool -> TLS -> rsyslog in %.2f s = %.0f events/s%n",
                sent.size(), seconds, sent.size() / seconds);
    }

    private Set<String> storeEvents(int n) {
        List<IncomingEvent> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(TestEvents.incoming("gateway-1"));
        }
        store.append(batch, List.of());
        delivery.poke();
        return batch.stream().map(e -> e.event().id().toString()).collect(Collectors.toCollection(java.util.HashSet::new));
    }

    private Set<String> receivedIds() {
        return rsyslog.received().stream().map(SyslogTlsDeliveryIT::eventId).collect(Collectors.toSet());
    }

    private static String eventId(JsonNode message) {
        return message.path("$!").path("rfc5424-sd").path("audit@" + Syslog.DOCUMENTATION_PEN).path("eventId").asText();
    }

    private SiemDelivery start(List<SiemOutputConfig> outputs) {
        SiemConfig config = SiemConfig.of(outputs, dir.resolve("spool"), "node-1.example", "0.1.0").withTiming(FAST);
        return SiemDelivery.start(db.dataSource(), null, config, Optional.of(rsyslog.clientTls()), null);
    }

    private static AuditEvent hostile(int i) {
        return new AuditEvent(UUID.randomUUID(), Instant.parse("2026-03-04T05:06:07.089Z").plusMillis(i), "auth.login",
                AuditEvent.Actor.user("mallory.o-brien_" + i + "@example"), "[2001:db8::7]:4433", new TenantId("acme"),
                "amtbus/v1/acme/devices/x|y=z]\"/commands " + HOSTILE, AuditEvent.Outcome.FAILURE, HOSTILE + " #" + i,
                Map.of("k", HOSTILE));
    }
}
