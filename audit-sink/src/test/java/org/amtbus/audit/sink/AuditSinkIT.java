package org.amtbus.audit.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.amtbus.audit.AuditService;
import org.amtbus.audit.query.StoredEvent;
import org.amtbus.audit.store.AuditStore;
import org.amtbus.audit.testing.AuditDatabase;
import org.amtbus.audit.testing.TestEvents;
import org.amtbus.audit.verify.VerificationResult;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.platform.secret.SealedFileSecretStore;
import org.amtbus.platform.testing.SharedKafka;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.topic.KafkaTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Audit events through real Kafka into real PostgreSQL, across restarts and redeliveries. */
class AuditSinkIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private AuditDatabase db;
    private AuditStore store;
    private SealedFileSecretStore secrets;
    private Producer<String, byte[]> producer;
    private final List<AuditService> services = new ArrayList<>();

    @BeforeEach
    void start() {
        db = AuditDatabase.create();
        store = new AuditStore(db.dataSource());
        secrets = SealedFileSecretStore.open(dir);
        producer = SharedKafka.clients().producer("audit-test");
    }

    @AfterEach
    void stop() {
        services.forEach(AuditService::close);
        producer.close();
        secrets.close();
        db.close();
    }

    private AuditService sink(String topic, String group) {
        return sink(topic, group, AuditSinkConfig.DEFAULT_MAX_BATCH);
    }

    private AuditService sink(String topic, String group, int maxBatch) {
        AuditSinkConfig config = AuditSinkConfig.defaults().withTopic(topic).withGroupId(group)
                .withCheckpointInterval(Duration.ofMillis(200)).withMaxBatch(maxBatch);
        AuditService service = AuditService.start(db.dataSource(), SharedKafka.clients(), secrets, config,
                Clock.systemUTC());
        services.add(service);
        return service;
    }

    private void send(String topic, String stream, byte[] value) {
        producer.send(new ProducerRecord<>(topic, stream, value));
    }

    @Test
    void eventsFromAuditLogArriveChainedSignedAndVerifiable() {
        // given
        createAuditTopic();
        AuditService service = sink(KafkaTopics.AUDIT, SharedKafka.newGroupId("audit-sink"));
        AuditLog log = new AuditLog(producer, Clock.systemUTC(), "broker-1");

        // when
        List<AuditEvent> emitted = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            emitted.add(log.event("auth.login").actor(AuditEvent.Actor.user("alice")).source("192.0.2.1")
                    .outcome(i % 5 == 0 ? AuditEvent.Outcome.FAILURE : AuditEvent.Outcome.SUCCESS).emit());
        }
        producer.flush();

        // then
        await().atMost(WAIT).until(() -> store.eventCount() == 50);
        List<StoredEvent> stored = service.queries().tail(50);
        assertThat(stored).extracting(StoredEvent::event).containsExactlyElementsOf(emitted);
        assertThat(stored).extracting(StoredEvent::seq).containsExactlyElementsOf(seqs(1, 50));
        service.checkpointer().checkpointNow();
        VerificationResult result = service.queries().verify();
        assertThat(result.intact()).as(String.valueOf(result.firstProblem())).isTrue();
        assertThat(result.streams().getFirst().lastCheckpointSeq()).isEqualTo(50);
    }

    @Test
    void aSinkClosedMidStreamAndRestartedContinuesTheChainWithNothingMissingOrTwice() throws Exception {
        // given: three producers' streams, 1,000 events each, sent while the sink is stopped and restarted
        String topic = SharedKafka.newTopic("audit", 3);
        String group = SharedKafka.newGroupId("audit-sink");
        Map<String, List<AuditEvent>> sent = new HashMap<>();
        for (String stream : List.of("broker-1", "gateway-1", "router-1")) {
            // one record at a time until the new topic's leaders are known (an idempotent producer with
            // batches in flight on a NOT_LEADER error can wedge on a freshly created topic)
            AuditEvent event = TestEvents.event("command.accepted", "svc-" + stream);
            sent.computeIfAbsent(stream, s -> new ArrayList<>()).add(event);
            producer.send(new ProducerRecord<>(topic, stream, Json.write(event))).get(30, TimeUnit.SECONDS);
        }
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            for (int i = 1; i < 1_000; i++) {
                for (String stream : List.of("broker-1", "gateway-1", "router-1")) {
                    AuditEvent event = TestEvents.event("command.accepted", "svc-" + stream);
                    sent.computeIfAbsent(stream, s -> new ArrayList<>()).add(event);
                    send(topic, stream, Json.write(event));
                }
            }
            producer.flush();
        });
        AuditService first = sink(topic, group, 100); // small batches: many pipelined writes around the restart

        // when
        await().atMost(WAIT).until(() -> store.eventCount() >= 300);
        first.close();
        services.remove(first);
        long storedBeforeRestart = store.eventCount();
        sending.get(60, TimeUnit.SECONDS);
        AuditService second = sink(topic, group, 100);
        await().atMost(WAIT).until(() -> store.eventCount() >= 3_000);

        // then
        assertThat(storedBeforeRestart).isLessThan(3_000);
        assertThat(store.eventCount()).isEqualTo(3_000);
        for (String stream : sent.keySet()) {
            assertThat(eventIds(stream)).as(stream)
                    .containsExactlyElementsOf(sent.get(stream).stream().map(e -> e.id().toString()).toList());
        }
        second.checkpointer().checkpointNow();
        VerificationResult result = second.queries().verify();
        assertThat(result.intact()).as(String.valueOf(result.firstProblem())).isTrue();
        assertThat(result.events()).isEqualTo(3_000);
    }

    @Test
    void offsetsAreCommittedOnlyOnceTheEventsAreDurable() throws Exception {
        // given: a sink whose table another transaction holds locked, so its writes wait
        String topic = SharedKafka.newTopic("audit", 1);
        String group = SharedKafka.newGroupId("audit-sink");
        AuditService service = sink(topic, group, 50);
        List<AuditEvent> sent = new ArrayList<>();
        try (Connection lock = db.dataSource().getConnection(); java.sql.Statement st = lock.createStatement()) {
            lock.setAutoCommit(false);
            st.execute("LOCK TABLE audit_events IN EXCLUSIVE MODE");

            // when: 500 events arrive (ten batches: one waits on the lock, one more is validated meanwhile)
            for (int i = 0; i < 500; i++) {
                AuditEvent event = TestEvents.event("command.accepted", "svc");
                sent.add(event);
                send(topic, "router-1", Json.write(event));
            }
            producer.flush();

            // then: nothing stored, nothing committed past the start
            await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> committedOffset(group, topic) <= 0);
            assertThat(service.sink().storedCount()).isZero();
            lock.rollback();
        }
        // and once the lock is gone, everything is stored in order and committed up to the end
        await().atMost(WAIT).until(() -> committedOffset(group, topic) == 500);
        assertThat(store.eventCount()).isEqualTo(500);
        assertThat(eventIds("router-1")).containsExactlyElementsOf(sent.stream().map(e -> e.id().toString()).toList());
        assertThat(service.sink().storedCount()).isEqualTo(500);
    }

    @Test
    void theStoredEventsListenerGetsEachNewEventOnceInOrder() {
        // given
        String topic = SharedKafka.newTopic("audit", 1);
        AuditService service = sink(topic, SharedKafka.newGroupId("audit-sink"), 20);
        List<AuditEvent> fed = new java.util.concurrent.CopyOnWriteArrayList<>();
        service.sink().onStoredEvents(fed::addAll);

        // when: 100 events, and 20 of them sent a second time (a producer retry seen as a new record)
        List<AuditEvent> sent = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            AuditEvent event = TestEvents.event();
            sent.add(event);
            send(topic, "broker-1", Json.write(event));
        }
        for (AuditEvent again : sent.subList(0, 20)) {
            send(topic, "broker-1", Json.write(again));
        }
        producer.flush();

        // then
        await().atMost(WAIT).until(() -> service.sink().duplicateCount() == 20);
        assertThat(fed).containsExactlyElementsOf(sent);
        assertThat(store.eventCount()).isEqualTo(100);
    }

    @Test
    void aRedeliveryOfEverythingStoresNothingTwice() {
        // given: a sink stored 200 events
        String topic = SharedKafka.newTopic("audit", 1);
        for (int i = 0; i < 200; i++) {
            send(topic, "broker-1", Json.write(TestEvents.event()));
        }
        producer.flush();
        sink(topic, SharedKafka.newGroupId("audit-sink"));
        await().atMost(WAIT).until(() -> store.eventCount() == 200);

        // when: a second group reads the topic from the start, as after a crash between commit and offset commit
        AuditService again = sink(topic, SharedKafka.newGroupId("audit-sink-again"));

        // then
        await().atMost(WAIT).until(() -> again.sink().duplicateCount() == 200);
        assertThat(again.sink().storedCount()).isZero();
        assertThat(store.eventCount()).isEqualTo(200);
        assertThat(again.queries().verify().intact()).isTrue();
    }

    @Test
    void invalidRecordsAreNotedWithoutTheirPayloadAndTheChainGoesOn() throws SQLException {
        // given
        String topic = SharedKafka.newTopic("audit", 1);
        AuditService service = sink(topic, SharedKafka.newGroupId("audit-sink"));
        String secret = "hunter2-" + java.util.UUID.randomUUID();

        // when
        send(topic, "broker-1", Json.write(TestEvents.event()));
        send(topic, "broker-1", "{not json".getBytes(StandardCharsets.UTF_8));
        send(topic, "broker-1", ("{\"schema\":\"amtbus.audit-event/v1\",\"password\":\"" + secret + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        send(topic, null, Json.write(TestEvents.event()));
        send(topic, "bad key with spaces", Json.write(TestEvents.event()));
        send(topic, "broker-1", null);
        send(topic, "broker-1", Json.write(TestEvents.event()));
        producer.flush();

        // then
        await().atMost(WAIT).until(() -> store.eventCount() == 2 && store.rejectedCount() == 5);
        assertThat(service.sink().rejectedCount()).isEqualTo(5);
        assertThat(service.queries().tail(10)).extracting(StoredEvent::seq).containsExactly(1L, 2L);
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement st = c.prepareStatement("SELECT reason, payload_size FROM audit_rejected ORDER BY kafka_offset");
             ResultSet rs = st.executeQuery()) {
            List<String> reasons = new ArrayList<>();
            while (rs.next()) {
                reasons.add(rs.getString(1));
            }
            assertThat(reasons).hasSize(5).allSatisfy(r -> assertThat(r).doesNotContain(secret));
            assertThat(reasons.get(0)).contains("malformed JSON");
            assertThat(reasons.get(1)).contains("/password");
            assertThat(reasons.get(2)).contains("key");
            assertThat(reasons.get(4)).contains("no value");
        }
    }

    @Test
    void aValidEventThePostgresCannotHoldIsRejectedAloneAndDoesNotBlockTheTrail() {
        // given: year 0000 is valid RFC 3339 and a valid AuditEvent, but PostgreSQL has no year 0
        String topic = SharedKafka.newTopic("audit", 1);
        AuditEvent yearZero = new AuditEvent(java.util.UUID.randomUUID(), java.time.Instant.parse("0000-01-01T00:00:00Z"),
                "auth.login", AuditEvent.Actor.user("alice"), null, null, null, AuditEvent.Outcome.SUCCESS, null,
                Map.of());
        AuditService service = sink(topic, SharedKafka.newGroupId("audit-sink"));

        // when
        send(topic, "broker-1", Json.write(TestEvents.event()));
        send(topic, "broker-1", Json.write(yearZero));
        send(topic, "broker-1", Json.write(TestEvents.event()));
        producer.flush();

        // then
        await().atMost(WAIT).until(() -> store.eventCount() == 2 && store.rejectedCount() == 1);
        assertThat(service.sink().failed()).isFalse();
        assertThat(service.queries().tail(10)).extracting(StoredEvent::seq).containsExactly(1L, 2L);
        assertThat(service.queries().verify().intact()).isTrue();
    }

    private static long committedOffset(String group, String topic) throws Exception {
        try (Admin admin = SharedKafka.clients().admin()) {
            var offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .get(new org.apache.kafka.common.TopicPartition(topic, 0));
            return offset == null ? -1 : offset.offset();
        }
    }

    private List<String> eventIds(String stream) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement st = c.prepareStatement("SELECT seq, event_id FROM audit_events WHERE stream = ? ORDER BY seq")) {
            st.setString(1, stream);
            try (ResultSet rs = st.executeQuery()) {
                long expected = 1;
                while (rs.next()) {
                    assertThat(rs.getLong(1)).isEqualTo(expected++);
                    ids.add(rs.getString(2));
                }
            }
        }
        return ids;
    }

    private static List<Long> seqs(long from, long to) {
        List<Long> seqs = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            seqs.add(s);
        }
        return seqs;
    }

    private static void createAuditTopic() {
        try (Admin admin = SharedKafka.clients().admin()) {
            admin.createTopics(List.of(new NewTopic(KafkaTopics.AUDIT, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(e);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
