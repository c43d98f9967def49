package org.amtbus.audit.sink;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.amtbus.audit.chain.StreamId;
import org.amtbus.audit.store.AppendResult;
import org.amtbus.audit.store.AuditStore;
import org.amtbus.audit.store.AuditStoreException;
import org.amtbus.audit.store.IncomingEvent;
import org.amtbus.audit.store.RejectedRecord;
import org.amtbus.platform.kafka.ConsumerLoop;
import org.amtbus.schemas.FieldError;
import org.amtbus.schemas.SchemaType;
import org.amtbus.schemas.SchemaValidator;
import org.amtbus.schemas.Validation;
import org.amtbus.schemas.model.AuditEvent;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code amtbus.audit} into the {@link AuditStore}: each poll's records are validated
 * (key = stream id, value = an {@code amtbus.audit-event/v1} payload) and stored in one transaction,
 * and only then are the Kafka offsets committed. The loop is pipelined ({@link ConsumerLoop#prepareBatch}):
 * while one batch is written to PostgreSQL on the writer thread, the next is polled and validated; batches are
 * written one at a time, in poll order, so each stream is chained in order.
 *
 * <p>Invariants: an offset is committed only after its record is durable in PostgreSQL, either as a
 * chained event or as a rejected-record row (location, reason, size and SHA-256, never the payload);
 * a redelivered record is recognised by its event id and stored once; a valid event the database refuses
 * (a data exception, e.g. year 0000) is rejected alone instead of blocking the trail. When the database fails, the batch
 * is retried with back-off for up to {@link #MAX_STORE_OUTAGE} (below Kafka's poll interval limit), then
 * the batch is given up uncommitted (the {@link ConsumerLoop} reads it again from the last commit) and
 * {@link #failed()} says so until a batch is stored again. Validation runs on the loop's thread, storing
 * and the listeners on its writer thread; the counters are thread-safe.
 */
public final class AuditSink extends ConsumerLoop {

    /** Longest database outage a batch waits out before the sink stops (Kafka evicts a consumer after 5 min). */
    public static final Duration MAX_STORE_OUTAGE = Duration.ofMinutes(2);
    private static final Duration FIRST_RETRY = Duration.ofMillis(200);
    private static final Duration MAX_RETRY = Duration.ofSeconds(10);
    private static final Duration CLOSE_CHECK = Duration.ofMillis(100);
    private static final Logger LOG = LoggerFactory.getLogger(AuditSink.class);

    private final AuditStore store;
    private final SchemaValidator validator;
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile boolean closing;
    private volatile boolean failed;
    private volatile Runnable onStored = () -> { };
    private volatile java.util.function.Consumer<List<AuditEvent>> onStoredEvents = events -> { };

    public AuditSink(Consumer<String, byte[]> consumer, String topic, AuditStore store, SchemaValidator validator) {
        super(consumer, List.of(topic), "audit-sink");
        this.store = Objects.requireNonNull(store, "store");
        this.validator = Objects.requireNonNull(validator, "validator");
    }

    @Override
    protected void handle(ConsumerRecord<String, byte[]> record) {
        store(classify(List.of(record)));
    }

    /** Validates the poll's records here (the loop's thread); the returned step stores them (the writer thread). */
    @Override
    protected Runnable prepareBatch(ConsumerRecords<String, byte[]> records) {
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(records.count());
        records.forEach(batch::add);
        Classified classified = classify(batch);
        return () -> store(classified);
    }

    /** A poll's records sorted: the valid events (and the record each came from), and the refused records. */
    private record Classified(List<IncomingEvent> events, List<ConsumerRecord<String, byte[]>> origins,
                              List<RejectedRecord> refused) {
    }

    private Classified classify(List<ConsumerRecord<String, byte[]>> records) {
        List<IncomingEvent> events = new ArrayList<>(records.size());
        List<ConsumerRecord<String, byte[]>> origins = new ArrayList<>(records.size());
        List<RejectedRecord> refused = new ArrayList<>();
        Map<String, StreamId> streams = new HashMap<>(); // a poll holds a few streams: each key is checked once
        for (ConsumerRecord<String, byte[]> record : records) {
            if (classify(record, events, refused, streams)) {
                origins.add(record);
            }
        }
        return new Classified(events, origins, refused);
    }

    private void store(Classified batch) {
        List<IncomingEvent> events = batch.events();
        AppendResult result;
        try {
            result = appendWithRetry(events, batch.refused());
        } catch (AuditStoreException e) {
            if (!e.refusedData()) {
                throw e;
            }
            // a valid event the database cannot hold (e.g. a year PostgreSQL lacks) must not block the trail
            LOG.warn("event=audit.batch-refused sqlState={} events={} (storing one by one)", e.sqlState(), events.size());
            result = appendOneByOne(events, batch.origins(), batch.refused());
        }
        stored.addAndGet(result.stored());
        if (result.stored() > 0) {
            onStored.run(); // e.g. SiemDelivery::poke: the events are committed, outputs may read them now
            feed(result.storedEvents());
        }
        duplicates.addAndGet(result.duplicates());
        rejected.addAndGet(result.rejected());
        if (result.duplicates() > 0) {
            LOG.info("event=audit.redelivered duplicates={} (already stored, skipped)", result.duplicates());
        }
    }

    /** Hands newly stored events to the listener; its failure must not give up a batch that is already durable. */
    private void feed(List<AuditEvent> events) {
        try {
            onStoredEvents.accept(events);
        } catch (RuntimeException e) {
            LOG.error("event=audit.stored-listener-failed events={} reason=\"{}\"", events.size(), e.toString());
        }
    }

    /** Adds the record to {@code events} (true) or to {@code refused} (false). */
    private boolean classify(ConsumerRecord<String, byte[]> record, List<IncomingEvent> events,
                             List<RejectedRecord> refused, Map<String, StreamId> streams) {
        byte[] value = record.value();
        String key = record.key();
        StreamId stream = key == null ? null
                : streams.computeIfAbsent(key, k -> StreamId.isValid(k) ? new StreamId(k) : null);
        String reason;
        if (stream == null) {
            reason = "the record key is not an audit stream id (" + StreamId.PATTERN + ")";
        } else if (value == null) {
            reason = "the record has no value";
        } else {
            Validation validation = validator.validate(SchemaType.AUDIT_EVENT, value);
            if (validation instanceof Validation.Valid valid) {
                events.add(new IncomingEvent(stream, value, (AuditEvent) valid.payload()));
                return true;
            }
            reason = ((Validation.Invalid) validation).errors().stream().map(FieldError::toString)
                    .collect(Collectors.joining("; "));
        }
        refused.add(reject(record, reason));
        return false;
    }

    private static RejectedRecord reject(ConsumerRecord<String, byte[]> record, String reason) {
        String stream = StreamId.isValid(record.key()) ? record.key() : null;
        int size = record.value() == null ? 0 : record.value().length;
        RejectedRecord rejection = new RejectedRecord(record.topic(), record.partition(), record.offset(), stream,
                reason, size, sha256(record.value()));
        // location and field-level reasons only: the payload may hold anything
        LOG.warn("event=audit.record-rejected topic={} partition={} offset={} stream={} size={} reason={}",
                record.topic(), record.partition(), record.offset(), stream, size, rejection.reason());
        return rejection;
    }

    /** Each event in its own transaction; the ones the database refuses become rejected records. */
    private AppendResult appendOneByOne(List<IncomingEvent> events, List<ConsumerRecord<String, byte[]>> origins,
                                        List<RejectedRecord> refused) {
        List<AuditEvent> storedHere = new ArrayList<>();
        int duplicatesHere = 0;
        List<RejectedRecord> allRefused = new ArrayList<>(refused);
        for (int i = 0; i < events.size(); i++) {
            try {
                AppendResult one = appendWithRetry(List.of(events.get(i)), List.of());
                storedHere.addAll(one.storedEvents());
                duplicatesHere += one.duplicates();
            } catch (AuditStoreException e) {
                if (!e.refusedData()) {
                    throw e;
                }
                allRefused.add(reject(origins.get(i), "the database refused a value (SQLState " + e.sqlState() + ")"));
            }
        }
        AppendResult noted = appendWithRetry(List.of(), allRefused);
        return new AppendResult(storedHere.size(), duplicatesHere, noted.rejected(), storedHere);
    }

    private AppendResult appendWithRetry(List<IncomingEvent> events, List<RejectedRecord> refused) {
        long deadline = System.nanoTime() + MAX_STORE_OUTAGE.toNanos();
        Duration wait = FIRST_RETRY;
        while (true) {
            try {
                AppendResult stored = store.append(events, refused);
                failed = false;
                return stored;
            } catch (AuditStoreException e) {
                if (e.refusedData()) {
                    throw e; // the same data would be refused again
                }
                if (closing || System.nanoTime() - deadline > 0) {
                    failed = true;
                    LOG.error("event=audit.sink-stopped reason=\"{}\" events={} (offsets not committed; "
                            + "the next start re-reads them)", e.getMessage(), events.size());
                    throw e;
                }
                LOG.warn("event=audit.store-retry reason=\"{}\" retryIn={}", e.getMessage(), wait);
                pause(wait);
                wait = wait.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait.multipliedBy(2);
            }
        }
    }

    /** Waits, in short slices so that close() is not held up by a long back-off. */
    private void pause(Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        while (!closing && until - System.nanoTime() > 0) {
            LockSupport.parkNanos(Math.min(CLOSE_CHECK.toNanos(), until - System.nanoTime()));
        }
    }

    private static byte[] sha256(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value == null ? new byte[0] : value);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Runs {@code listener} on the sink's writer thread after each batch that stored new events (after the
     * commit, before the Kafka offsets). It must be quick and must not throw; {@code SiemDelivery::poke} is.
     */
    public void onStored(Runnable listener) {
        this.onStored = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Hands {@code listener} the events of each batch that stored new events, on the sink's writer thread,
     * after the commit and before the Kafka offsets: each event once (a redelivered one is not handed again),
     * already validated. The alert rules of a node that also runs the sink read them here instead of consuming
     * and validating the topic a second time. It must be quick; an exception is logged and does not undo the batch.
     */
    public void onStoredEvents(java.util.function.Consumer<List<AuditEvent>> listener) {
        this.onStoredEvents = Objects.requireNonNull(listener, "listener");
    }

    /** Events chained and stored by this sink. */
    public long storedCount() {
        return stored.get();
    }

    /** Records skipped because their event was already stored (redeliveries). */
    public long duplicateCount() {
        return duplicates.get();
    }

    /** Records that were not valid audit events. */
    public long rejectedCount() {
        return rejected.get();
    }

    /** Whether the last batch was given up because the database stayed unavailable (it is retried). */
    public boolean failed() {
        return failed;
    }

    @Override
    public void close() {
        closing = true;
        super.close();
    }
}
