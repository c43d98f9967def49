package org.amtbus.broker.session;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.amtbus.acl.change.AclChange;
import org.amtbus.acl.change.AclChanges;
import org.amtbus.platform.kafka.ConsumerLoop;
import org.amtbus.schemas.topic.KafkaTopics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on {@code amtbus.acl.changes} on this broker: refreshes the cached account (so its next
 * operation is decided on the new state) and, when access shrank, disconnects its live sessions.
 *
 * <p>Invariant: every broker has its own consumer group, so every broker sees every change. Runs on
 * its own thread ({@link ConsumerLoop}); a malformed record is logged and skipped.
 */
public final class AccessChangeListener extends ConsumerLoop {

    private static final Logger LOG = LoggerFactory.getLogger(AccessChangeListener.class);

    private final Consumer<AclChange> action;

    public AccessChangeListener(org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer, Consumer<AclChange> action) {
        super(consumer, List.of(KafkaTopics.ACL_CHANGES), "amtbus-acl-changes");
        this.action = Objects.requireNonNull(action);
    }

    @Override
    protected void handle(ConsumerRecord<String, byte[]> record) {
        AclChanges.parse(record.value()).ifPresentOrElse(change -> {
            LOG.info("event=acl.change-applied account={} kind={}", change.account(), change.kind());
            action.accept(change);
        }, () -> LOG.warn("event=acl.change-invalid offset={}", record.offset()));
    }
}
