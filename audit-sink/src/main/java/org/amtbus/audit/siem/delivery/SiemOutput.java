package org.amtbus.audit.siem.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.amtbus.audit.siem.SiemEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SIEM output: reads chained events from the audit store after its cursor, encodes them, appends
 * them to its durable {@link Spool}, and delivers the spool through its {@link Transport}, on its own
 * thread ({@code siem-<name>}).
 *
 * <p>Invariants (at least once, never silently dropped): an event enters the spool only after it is
 * durable and chained in PostgreSQL; the cursor moves only after the spool is forced to disk; a record
 * leaves the spool only after the transport says it was delivered; a failed delivery is retried with
 * back-off ({@code firstRetry} doubling to {@code maxRetry}) for as long as it takes. When the spool is
 * full the output stops reading the store (the events stay there, nothing is lost), logs
 * {@code event=siem.spool-full} once and reports {@link #spoolFull()} until the spool drains. Outputs
 * are independent: one receiver being down never holds up another. Counters are thread-safe.
 */
public final class SiemOutput implements AutoCloseable {

    /** Timing of one output. */
    public record Timing(Duration pollInterval, Duration firstRetry, Duration maxRetry) {
        public static final Timing DEFAULT = new Timing(Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(30));
    }

    /** Records per delivery, and the cap on bytes per delivery. */
    static final int DELIVERY_RECORDS = 5000;
    /** Store reads before each delivery attempt (each up to batchSize per stream). */
    static final int FEEDS_PER_DELIVERY = 10;
    static final long DELIVERY_BYTES = 4L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(SiemOutput.class);

    private final String name;
    private final Function<SiemEvent, byte[]> encoder;
    private final Transport transport;
    private final Spool spool;
    private final FeedCursor cursor;
    private final StoreFeed feed;
    private final int batchSize;
    private final Timing timing;
    private final Thread thread;
    private final Semaphore wake = new Semaphore(0);
    private final AtomicLong spooled = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean full;
    private volatile boolean down;
    private long nextAttempt;
    private Duration retry;

    public SiemOutput(String name, Function<SiemEvent, byte[]> encoder, Transport transport, Spool spool,
                      FeedCursor cursor, StoreFeed feed, int batchSize, Timing timing) {
        this.name = Objects.requireNonNull(name, "name");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.spool = Objects.requireNonNull(spool, "spool");
        this.cursor = Objects.requireNonNull(cursor, "cursor");
        this.feed = Objects.requireNonNull(feed, "feed");
        this.batchSize = batchSize;
        this.timing = Objects.requireNonNull(timing, "timing");
        this.retry = timing.firstRetry();
        this.thread = new Thread(this::run, "siem-" + name);
        this.thread.setDaemon(true);
    }

    public SiemOutput start() {
        thread.start();
        LOG.info("event=siem.output-started output={} to=\"{}\" pending={} spoolBytes={}", name, transport.describe(),
                spool.pendingRecords(), spool.usedBytes());
        return this;
    }

    /** Asks the output to look at the store now (e.g. after the sink stored a batch) instead of at its next poll. */
    public void poke() {
        wake.release();
    }

    private void run() {
        while (running) {
            boolean busy;
            try {
                boolean fed = false;
                // fill up to one delivery's worth first: each delivery costs a confirmation wait, so send big batches
                for (int i = 0; i < FEEDS_PER_DELIVERY && feed(); i++) {
                    fed = true;
                }
                busy = deliver() | fed;
            } catch (RuntimeException e) {
                busy = false;
                LOG.warn("event=siem.output-error output={} reason=\"{}\" (retrying)", name, e.getMessage());
            }
            if (!busy) {
                idle();
            }
        }
    }

    /** Store to spool; false when nothing moved. */
    private boolean feed() {
        if (spool.usedBytes() > spool.maxBytes() - Spool.MAX_RECORD_BYTES) {
            noteFull();
            return false;
        }
        List<SiemEvent> events = feed.next(cursor.seqs(), batchSize);
        if (events.isEmpty()) {
            noteNotFull();
            return false;
        }
        List<byte[]> records = new ArrayList<>(events.size());
        for (SiemEvent event : events) {
            records.add(encoder.apply(event));
        }
        int appended = spool.append(records);
        if (appended < records.size()) {
            noteFull();
        } else {
            noteNotFull();
        }
        if (appended == 0) {
            return false;
        }
        Map<String, Long> last = new LinkedHashMap<>();
        for (SiemEvent event : events.subList(0, appended)) {
            last.put(event.stream().value(), event.seq());
        }
        cursor.advance(last);
        spooled.addAndGet(appended);
        return true;
    }

    /** Spool to receiver; false when nothing was delivered. */
    private boolean deliver() {
        if (down && System.nanoTime() - nextAttempt < 0) {
            return false;
        }
        Spool.Batch batch = spool.read(DELIVERY_RECORDS, DELIVERY_BYTES);
        if (batch.isEmpty()) {
            return false;
        }
        try {
            transport.send(batch.records());
        } catch (java.io.IOException e) {
            failures.incrementAndGet();
            down = true;
            nextAttempt = System.nanoTime() + retry.toNanos();
            LOG.warn("event=siem.delivery-failed output={} to=\"{}\" reason=\"{}\" pending={} retryIn={}", name,
                    transport.describe(), e.getMessage(), spool.pendingRecords(), retry);
            retry = retry.multipliedBy(2).compareTo(timing.maxRetry()) > 0 ? timing.maxRetry() : retry.multipliedBy(2);
            return false;
        }
        spool.ack(batch);
        delivered.addAndGet(batch.records().size());
        if (down) {
            down = false;
            LOG.info("event=siem.output-recovered output={} to=\"{}\" pending={}", name, transport.describe(),
                    spool.pendingRecords());
        }
        retry = timing.firstRetry();
        return true;
    }

    private void noteFull() {
        if (!full) {
            full = true;
            LOG.error("event=siem.spool-full output={} dir={} pending={} bytes={} maxBytes={} (reading from the audit "
                    + "store pauses until the receiver takes records again; nothing is dropped: the trail keeps the events)",
                    name, spool.directory(), spool.pendingRecords(), spool.usedBytes(), spool.maxBytes());
        }
    }

    private void noteNotFull() {
        if (full) {
            full = false;
            LOG.info("event=siem.spool-drained output={} pending={}", name, spool.pendingRecords());
        }
    }

    private void idle() {
        long wait = timing.pollInterval().toNanos();
        if (down) {
            wait = Math.max(1_000_000, Math.min(wait, nextAttempt - System.nanoTime()));
        }
        try {
            wake.tryAcquire(wait, TimeUnit.NANOSECONDS);
            wake.drainPermits();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    public String name() {
        return name;
    }

    /** Events appended to the spool by this process. */
    public long spooledCount() {
        return spooled.get();
    }

    /** Records the transport confirmed. */
    public long deliveredCount() {
        return delivered.get();
    }

    /** Failed delivery attempts. */
    public long failureCount() {
        return failures.get();
    }

    /** Records waiting in the spool. */
    public long pendingRecords() {
        return spool.pendingRecords();
    }

    public long spoolBytes() {
        return spool.usedBytes();
    }

    /** Whether the spool is full (the output has stopped reading the store until it drains). */
    public boolean spoolFull() {
        return full;
    }

    /** Whether the last delivery failed (the receiver is unreachable or refuses). */
    public boolean receiverDown() {
        return down;
    }

    /** Stops the thread (after its current step), drops the connection and closes the spool. */
    @Override
    public void close() {
        running = false;
        wake.release();
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        transport.close();
        spool.close();
        LOG.info("event=siem.output-stopped output={} spooled={} delivered={} pending={}", name, spooled.get(),
                delivered.get(), spool.pendingRecords());
    }
}
