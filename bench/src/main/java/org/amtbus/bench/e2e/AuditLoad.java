package org.amtbus.bench.e2e;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.amtbus.platform.kafka.KafkaClients;
import org.amtbus.platform.kafka.KafkaConfig;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.KafkaTopics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The audit load: valid {@code amtbus.audit-event/v1} events, built beforehand so that building them costs nothing
 * during a run, written to {@code amtbus.audit} with the node's own producer settings (idempotent, acks=all), keyed by
 * one of {@link #STREAMS} stream ids as a node's services key theirs.
 */
final class AuditLoad implements AutoCloseable {

    static final int STREAMS = 4;

    /** One event as it goes to Kafka: its stream (the record key) and its canonical bytes. */
    record Event(String stream, AuditEvent event, byte[] bytes) {
    }

    private final Producer<String, byte[]> producer;

    AuditLoad(String bootstrap) {
        this.producer = new KafkaClients(new KafkaConfig(bootstrap, "bench")).producer("audit-load");
    }

    /** {@code count} distinct events of the kinds a node writes most (command and login outcomes), ~400 bytes each. */
    static List<Event> events(int count, String runId) {
        List<Event> out = new ArrayList<>(count);
        Instant start = Instant.now();
        for (int i = 0; i < count; i++) {
            boolean command = i % 3 != 0;
            AuditEvent e = new AuditEvent(AuditEvent.SCHEMA, UUID.randomUUID(), start.plusNanos(i * 1_000L),
                    command ? "command.completed" : "auth.login", command ? AuditEvent.Actor.service("gateway-node-1")
                    : AuditEvent.Actor.user("operator" + (i % 50)), "127.0.0.1", new TenantId("default"),
                    "device:" + new UUID(0x1234L, i % 1000), AuditEvent.Outcome.SUCCESS, null,
                    Map.of("command", UUID.randomUUID().toString(), "action", "power.state", "status", "succeeded",
                            "run", runId));
            out.add(new Event("bench-" + runId + "-" + (i % STREAMS), e, Json.write(e)));
        }
        return out;
    }

    /** Sends every event (asynchronously, as fast as the producer takes them); returns when all are acknowledged. */
    long send(List<Event> events) throws InterruptedException {
        AtomicLong failed = new AtomicLong();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(events.size());
        for (Event e : events) {
            producer.send(new ProducerRecord<>(KafkaTopics.AUDIT, e.stream(), e.bytes()), (m, error) -> {
                if (error != null) {
                    failed.incrementAndGet();
                }
                done.countDown();
            });
        }
        producer.flush();
        if (!done.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the audit load was not acknowledged within 120 s");
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " audit events were not accepted by Kafka");
        }
        return events.size();
    }

    @Override
    public void close() {
        producer.close();
    }
}
