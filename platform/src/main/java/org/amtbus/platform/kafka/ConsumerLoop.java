package org.amtbus.platform.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
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
 */
public abstract class ConsumerLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);
    /** Short enough that close() is prompt, long enough not to spin on an idle cluster. */
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** Wait before reading a failed batch again. */
    public static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);

    private final Consumer<String, byte[]> consumer;
    private final List<String> topics;
    private final Thread thread;
    private final CountDownLatch assigned = new CountDownLatch(1);
    private volatile boolean running = true;

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
     * Runs on the loop's thread after a batch was handled and before its offsets are committed: flush
     * what the batch produced here, so a commit never runs ahead of what was written.
     */
    protected void beforeCommit() {
    }

    public void start() {
        consumer.subscribe(topics, new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // offsets are committed after every batch, nothing is pending here
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
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL_TIMEOUT);
                try {
                    if (!records.isEmpty()) {
                        handleBatch(records);
                        beforeCommit();
                        consumer.commitSync();
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
            consumer.close(Duration.ofSeconds(5));
        }
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
