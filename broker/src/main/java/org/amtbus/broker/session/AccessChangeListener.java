package org.amtbus.broker.session;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.amtbus.acl.change.AclChange;
import org.amtbus.acl.change.AclChanges;
import org.amtbus.schemas.topic.KafkaTopics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on {@code amtbus.acl.changes} on this broker: forgets the cached account (so its next
 * operation is decided on the new state) and, when access shrank, disconnects its live sessions.
 *
 * <p>Invariant: every broker has its own consumer group, so every broker sees every change. Runs on
 * its own thread; a malformed record is logged and skipped.
 */
public final class AccessChangeListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AccessChangeListener.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

    private final org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer;
    private final Consumer<AclChange> action;
    private final Thread thread;
    private volatile boolean running = true;

    public AccessChangeListener(org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer, Consumer<AclChange> action) {
        this.consumer = Objects.requireNonNull(consumer);
        this.action = Objects.requireNonNull(action);
        this.thread = new Thread(this::run, "amtbus-acl-changes");
        this.thread.setDaemon(true);
    }

    public void start() {
        consumer.subscribe(List.of(KafkaTopics.ACL_CHANGES));
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL_TIMEOUT)) {
                    AclChanges.parse(record.value()).ifPresentOrElse(change -> {
                        LOG.info("event=acl.change-applied account={} kind={}", change.account(), change.kind());
                        action.accept(change);
                    }, () -> LOG.warn("event=acl.change-invalid offset={}", record.offset()));
                }
                consumer.commitSync();
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("event=acl.change-listener-stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
