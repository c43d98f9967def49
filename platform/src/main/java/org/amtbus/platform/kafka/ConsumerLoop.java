package org.amtbus.platform.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kafka consumer on its own thread: polls, hands each record to {@link #handle}, and commits the
 * offsets only after the whole batch was handled, so a restart repeats rather than loses.
 *
 * <p>{@link #awaitReady} returns once partitions are assigned and their positions resolved, so a
 * record written after that is never skipped by a "latest" offset reset. A partition the group has no
 * committed offset for gets its resolved position committed at once: the "latest" reset then happens
 * only the first time a group ever reads a partition, never again after a rebalance (a Kafka outage
 * longer than the session timeout, a member that died), which would skip what was written meanwhile.
 * The Kafka consumer is not thread-safe: only the loop's thread touches it, except {@code wakeup()} on
 * close.
 *
 * <p>A loop that overrides {@link #prepareBatch} is pipelined: batch N is written on a writer thread while batch
 * N+1 is polled and prepared, and each batch's offsets are committed (by the loop's thread) only after its write
 * returned. A rebalance and {@link #close} wait for the write under way first. Loops that do not override it
 * behave as before: handle, then commit, on the loop's thread.
 */
public abstract class ConsumerLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);
    /** Short enough that close() is prompt, long enough not to spin on an idle cluster. */
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    /** While a batch is written: the next batch, if one is there, is prepared meanwhile; else wait for the write. */
    private static final Duration PIPELINED_POLL_TIMEOUT = Duration.ofMillis(10);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** Wait before reading a failed batch again. */
    public static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);

    private final Consumer<String, byte[]> consumer;
    private final List<String> topics;
    private final Thread thread;
    private final CountDownLatch assigned = new CountDownLatch(1);
    private volatile boolean running = true;
    /** Pipelining only (see {@link #prepareBatch}); both are touched by the loop's thread alone. */
    private ExecutorService writer;
    private Write writing;
    private boolean writeFailed;

    protected ConsumerLoop(Consumer<String, byte[]> consumer, List<String> topics, String threadName) {
        this.consumer = Objects.requireNonNull(consumer);
        this.topics = List.copyOf(topics);
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    /**
     * Handles one record on the loop's thread. A runtime exception means "cannot now" (PostgreSQL or Kafka
     * unavailable): the batch is given up uncommitted and read again from the last commit after
     * {@link #RETRY_BACKOFF}, so nothing is skipped. A record that can never be handled must be dealt with
     * (counted, skipped) inside {@code handle}, or it would be retried forever.
     */
    protected abstract void handle(ConsumerRecord<String, byte[]> record);

    /**
     * Handles the records of one poll on the loop's thread; their offsets are committed after it
     * returns (and after {@link #beforeCommit}). The default hands each record to {@link #handle};
     * override it to make a whole batch durable in one step (one database transaction). A runtime
     * exception gives the batch up uncommitted; it is read again after {@link #RETRY_BACKOFF}.
     */
    protected void handleBatch(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            handle(record);
        }
    }

    /**
     * Pipelining, for a loop whose durable step is slow (one database transaction per batch): do on the loop's
     * thread what has no lasting effect (parsing, validation) and return the step that makes the batch durable. The
     * loop runs that step on a writer thread of its own, one batch at a time and in poll order, while it polls and
     * prepares the next batch; a batch's offsets are committed only after its step has returned, and a step that
     * throws gives up that batch and the prepared one (both are read again from the last commit after
     * {@link #RETRY_BACKOFF}). At most one batch is written while one more is prepared. Returns null (the default)
     * to handle the batch on the loop's thread with {@link #handleBatch} instead.
     */
    protected Runnable prepareBatch(ConsumerRecords<String, byte[]> records) {
        return null;
    }

    /**
     * Runs on the loop's thread after a batch was handled (with {@link #prepareBatch}: after its write returned)
     * and before its offsets are committed: flush
     * what the batch produced here, so a commit never runs ahead of what was written.
     */
    protected void beforeCommit() {
    }

    public void start() {
        consumer.subscribe(topics, new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // offsets are committed after every batch; only a pipelined write may still be under way
                try {
                    finishWrite();
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    LOG.warn("event=consumer.batch-failed thread={} (on revocation): {}", thread.getName(), e.toString());
                    writeFailed = true;
                }
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                partitions.forEach(consumer::position);
                commitFirstPositions(partitions);
                assigned.countDown();
            }
        });
        thread.start();
    }

    /**
     * Commits the resolved position of each partition the group has never committed, so a later rebalance
     * resumes there instead of resetting again. If that fails (the coordinator is moving), the first batch's
     * commit or the next assignment does it; the position in memory is unaffected.
     */
    private void commitFirstPositions(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
            Map<TopicPartition, OffsetAndMetadata> first = new HashMap<>();
            for (TopicPartition tp : partitions) {
                if (committed.get(tp) == null) {
                    first.put(tp, new OffsetAndMetadata(consumer.position(tp)));
                }
            }
            if (!first.isEmpty()) {
                consumer.commitSync(first);
                LOG.debug("event=consumer.first-positions-committed thread={} partitions={}", thread.getName(), first.size());
            }
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("event=consumer.first-positions-not-committed thread={}: {}", thread.getName(), e.toString());
        }
    }

    /** Waits until the loop owns its partitions and knows where to read from; false on timeout. */
    public boolean awaitReady(Duration timeout) {
        try {
            return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void run() {
        try {
            boolean mustRewind = false;
            while (running) {
                if (mustRewind) {
                    try {
                        rewind();
                        mustRewind = false;
                    } catch (WakeupException e) {
                        throw e;
                    } catch (RuntimeException e) {
                        // never poll on past a failed batch: try the rewind again after the backoff
                        java.util.concurrent.locks.LockSupport.parkNanos(RETRY_BACKOFF.toNanos());
                        continue;
                    }
                }
                // with a write under way, wait only briefly for the next batch: it is prepared meanwhile
                ConsumerRecords<String, byte[]> records = consumer.poll(writing == null ? POLL_TIMEOUT : PIPELINED_POLL_TIMEOUT);
                if (writeFailed) { // a write failed in the rebalance listener: read again from the last commit
                    writeFailed = false;
                    mustRewind = true;
                    continue;
                }
                try {
                    if (records.isEmpty()) {
                        finishWrite();
                        continue;
                    }
                    Runnable write = prepareBatch(records);
                    if (write == null) {
                        handleBatch(records);
                        beforeCommit();
                        consumer.commitSync();
                    } else {
                        finishWrite();
                        startWrite(write, nextOffsets(records));
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    LOG.warn("event=consumer.batch-failed thread={} retryIn={}ms: {}", thread.getName(),
                            RETRY_BACKOFF.toMillis(), e.toString());
                    mustRewind = true;
                    java.util.concurrent.locks.LockSupport.parkNanos(RETRY_BACKOFF.toNanos());
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("event=consumer.unexpected-wakeup thread={}", thread.getName(), e);
            }
        } catch (RuntimeException e) {
            LOG.error("event=consumer.stopped-on-error thread={}", thread.getName(), e);
        } finally {
            try {
                finishWrite(); // the batch being written is committed if it became durable
            } catch (RuntimeException e) {
                LOG.warn("event=consumer.last-batch-not-committed thread={}: {}", thread.getName(), e.toString());
            }
            if (writer != null) {
                writer.shutdownNow();
            }
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Hands a prepared batch to the writer thread; its offsets wait in {@link #writing}. */
    private void startWrite(Runnable write, Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (writer == null) {
            writer = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, thread.getName() + "-writer");
                t.setDaemon(true);
                return t;
            });
        }
        writing = new Write(writer.submit(write), offsets);
    }

    /**
     * Waits for the batch being written (if any) and commits its offsets; a failed write throws, and its offsets
     * stay uncommitted (the caller rewinds). Runs on the loop's thread, also from the rebalance listener.
     */
    private void finishWrite() {
        Write w = writing;
        if (w == null) {
            return;
        }
        writing = null;
        try {
            w.done().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a batch was written", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        beforeCommit();
        consumer.commitSync(w.offsets());
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> inPartition = records.records(tp);
            next.put(tp, new OffsetAndMetadata(inPartition.getLast().offset() + 1));
        }
        return next;
    }

    /** A batch handed to the writer thread, and the offsets to commit once it is durable. */
    private record Write(Future<?> done, Map<TopicPartition, OffsetAndMetadata> offsets) {
    }

    /** Goes back to the last committed offset of every assigned partition (or the start, if none). */
    private void rewind() {
        var assignment = consumer.assignment();
        var committed = consumer.committed(assignment);
        for (TopicPartition tp : assignment) {
            var offset = committed.get(tp);
            if (offset != null) {
                consumer.seek(tp, offset.offset());
            } else {
                consumer.seekToBeginning(List.of(tp));
            }
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(CLOSE_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
