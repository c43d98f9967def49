package org.amtbus.provisioning;

import java.time.Clock;
import java.util.Objects;
import java.util.UUID;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.ProvisioningStatus;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.KafkaTopics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes {@link ProvisioningStatus} to Kafka {@code amtbus.provisioning}, keyed by the device GUID (one
 * device's statuses stay in order). A reason is truncated to the schema's 512 characters; callers pass
 * reasons free of secrets. A terminal status is flushed before {@link #terminal} returns. Thread-safe.
 */
public final class StatusPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(StatusPublisher.class);
    private static final int REASON_MAX = 512;

    private final Producer<String, byte[]> producer;
    private final Clock clock;

    public StatusPublisher(Producer<String, byte[]> producer, Clock clock) {
        this.producer = Objects.requireNonNull(producer);
        this.clock = Objects.requireNonNull(clock);
    }

    /** A progress status (pending, running). */
    public ProvisioningStatus progress(UUID requestId, TenantId tenant, DeviceGuid guid, String step, ProvisioningStatus.State state) {
        return send(new ProvisioningStatus(UUID.randomUUID(), requestId, tenant, guid, step, state, null, clock.instant()));
    }

    /** A status with a reason (succeeded with a note, failed, rolled back), flushed to Kafka. */
    public ProvisioningStatus terminal(UUID requestId, TenantId tenant, DeviceGuid guid, String step,
                                       ProvisioningStatus.State state, String reason) {
        String r = reason == null || reason.length() <= REASON_MAX ? reason : reason.substring(0, REASON_MAX - 3) + "...";
        ProvisioningStatus status = send(new ProvisioningStatus(UUID.randomUUID(), requestId, tenant, guid, step, state, r,
                clock.instant()));
        producer.flush();
        return status;
    }

    private ProvisioningStatus send(ProvisioningStatus status) {
        producer.send(new ProducerRecord<>(KafkaTopics.PROVISIONING, status.guid().value(), Json.write(status)), (m, error) -> {
            if (error != null) {
                LOG.error("event=provisioning.status-send-failed guid={} step={} state={} reason={}", status.guid().value(),
                        status.step(), status.state().wireName(), error.toString());
            }
        });
        return status;
    }
}
