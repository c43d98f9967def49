package org.amtbus.platform.audit;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.KafkaTopics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits {@link AuditEvent}s to Kafka {@code amtbus.audit}, keyed by this service instance's stream id
 * so the audit sink sees each stream in order, and mirrors each one as a line on the {@code amtbus.audit}
 * logger (an event log operators can route).
 *
 * <p>Invariants: an event never carries a secret (callers pass names, never values; the schema bounds
 * and checks every field); a failed send is logged with the event id and counted, never thrown at
 * the caller, whose own decision stands. Thread-safe; never blocks the caller: events are handed to
 * Kafka in order by one thread of their own, because a Kafka producer's {@code send} waits (up to a
 * minute) for metadata while Kafka is unreachable, and callers are Netty and broker threads. While
 * Kafka is unreachable that thread keeps retrying and events wait in memory, up to {@link #CAPACITY};
 * beyond that they are counted as failed and logged.
 */
public final class AuditLog implements AutoCloseable {

    /** Events held while Kafka is unreachable before new ones are dropped (counted, logged). */
    public static final int CAPACITY = 100_000;
    private static final java.time.Duration RETRY = java.time.Duration.ofSeconds(1);
    private static final java.time.Duration DRAIN_ON_CLOSE = java.time.Duration.ofSeconds(10);

    private static final Logger EVENTS = LoggerFactory.getLogger("amtbus.audit");
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

    private final Producer<String, byte[]> producer;
    private final Clock clock;
    private final String streamId;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final java.util.concurrent.ThreadPoolExecutor sender;
    private volatile boolean closed;

    /**
     * @param streamId this service instance, e.g. {@code broker-1}: the Kafka key of all its events
     */
    public AuditLog(Producer<String, byte[]> producer, Clock clock, String streamId) {
        this.producer = Objects.requireNonNull(producer);
        this.clock = Objects.requireNonNull(clock);
        this.streamId = Objects.requireNonNull(streamId);
        this.sender = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0, java.util.concurrent.TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(CAPACITY), r -> {
                    Thread t = new Thread(r, "audit-sender-" + streamId);
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Starts an event of the given type, e.g. {@code auth.login}. */
    public Builder event(String type) {
        return new Builder(type);
    }

    /** Sends a complete event. */
    public void record(AuditEvent event) {
        EVENTS.info("type={} outcome={} actor={}:{} source={} tenant={} target={} reason={} id={}",
                event.type(), event.outcome().wireName(), event.actor().kind().wireName(), event.actor().name(),
                event.source(), event.tenant(), event.target(), event.reason(), event.id());
        byte[] value;
        try {
            value = Json.write(event);
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            LOG.error("event=audit.encode-failed id={} type={}", event.id(), event.type(), e);
            return;
        }
        try {
            sender.execute(() -> send(event, value));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            failed.incrementAndGet();
            LOG.error("event=audit.send-failed id={} type={} reason={}", event.id(), event.type(),
                    closed ? "the audit log is closed" : "more than " + CAPACITY + " events wait for Kafka");
        }
    }

    /** On the sender thread: hands one event to the producer, retrying while Kafka cannot take it. */
    private void send(AuditEvent event, byte[] value) {
        while (true) {
            try {
                producer.send(new ProducerRecord<>(KafkaTopics.AUDIT, streamId, value), (metadata, error) -> {
                    if (error == null) {
                        sent.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        LOG.error("event=audit.send-failed id={} type={} reason={}", event.id(), event.type(), error.toString());
                    }
                });
                return;
            } catch (org.apache.kafka.common.errors.RetriableException e) {
                // Kafka unreachable (no metadata within max.block.ms): keep the event and its place in the stream
                if (closed) {
                    failed.incrementAndGet();
                    LOG.error("event=audit.send-failed id={} type={} reason={}", event.id(), event.type(), e.toString());
                    return;
                }
                LOG.warn("event=audit.send-retry id={} waiting={} reason={}", event.id(), sender.getQueue().size(), e.toString());
                java.util.concurrent.locks.LockSupport.parkNanos(RETRY.toNanos());
            } catch (RuntimeException e) {
                failed.incrementAndGet();
                LOG.error("event=audit.send-failed id={} type={} reason={}", event.id(), event.type(), e.toString());
                return;
            }
        }
    }

    /**
     * Hands what is waiting to the producer (for up to 10 s) and stops; call before closing the producer.
     * Events recorded afterwards are counted as failed.
     */
    @Override
    public void close() {
        closed = true;
        sender.shutdown();
        try {
            if (!sender.awaitTermination(DRAIN_ON_CLOSE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                int lost = sender.shutdownNow().size();
                failed.addAndGet(lost);
                LOG.error("event=audit.send-failed count={} reason=Kafka did not take them before the stop", lost);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Events Kafka acknowledged. */
    public long sentCount() {
        return sent.get();
    }

    /** Events that could not be encoded or sent. */
    public long failedCount() {
        return failed.get();
    }

    /** Fluent construction of one event; {@link #emit()} validates it against the schema's rules. */
    public final class Builder {
        private final String type;
        private AuditEvent.Actor actor = AuditEvent.Actor.system("amtbus");
        private String source;
        private TenantId tenant;
        private String target;
        private AuditEvent.Outcome outcome = AuditEvent.Outcome.SUCCESS;
        private String reason;
        private final Map<String, String> details = new LinkedHashMap<>();

        private Builder(String type) {
            this.type = type;
        }

        public Builder actor(AuditEvent.Actor value) {
            this.actor = value;
            return this;
        }

        public Builder source(String value) {
            this.source = value;
            return this;
        }

        public Builder tenant(TenantId value) {
            this.tenant = value;
            return this;
        }

        public Builder target(String value) {
            this.target = value;
            return this;
        }

        public Builder outcome(AuditEvent.Outcome value) {
            this.outcome = value;
            return this;
        }

        public Builder reason(String value) {
            this.reason = value;
            return this;
        }

        public Builder detail(String key, String value) {
            if (value != null) {
                details.put(key, value);
            }
            return this;
        }

        /** Builds and sends the event; returns it (tests and callers may keep its id). */
        public AuditEvent emit() {
            AuditEvent event = new AuditEvent(UUID.randomUUID(), clock.instant(), type, actor, source, tenant, target,
                    outcome, reason, Map.copyOf(details));
            record(event);
            return event;
        }
    }
}
