package org.amtbus.audit.alert;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.Alert;
import org.amtbus.schemas.model.AuditEvent;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends an {@link Alert} to Kafka (key = tenant; the broker bridges {@code amtbus.alerts} to MQTT
 * {@code amtbus/v1/{tenant}/alerts}) and audits it as {@code alert.raised} (actor the audit service,
 * target {@code alert:<rule>}, the alert id in the details). Never blocks; a failed send is logged and
 * counted. Thread-safe.
 */
public final class AlertPublisher {

    public static final String ACTOR = "audit-alerts";
    private static final Logger LOG = LoggerFactory.getLogger(AlertPublisher.class);

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final AuditLog audit;
    private final AtomicLong raised = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public AlertPublisher(Producer<String, byte[]> producer, String topic, AuditLog audit) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    public void publish(Alert alert) {
        raised.incrementAndGet();
        LOG.warn("event=alert.raised rule={} severity={} tenant={} id={} summary=\"{}\"", alert.rule(),
                alert.severity().wireName(), alert.tenant(), alert.id(), alert.summary());
        producer.send(new ProducerRecord<>(topic, alert.tenant().value(), Json.write(alert)), (metadata, error) -> {
            if (error != null) {
                failed.incrementAndGet();
                LOG.error("event=alert.send-failed id={} rule={} reason={}", alert.id(), alert.rule(), error.toString());
            }
        });
        audit.event("alert.raised").actor(AuditEvent.Actor.service(ACTOR)).tenant(alert.tenant())
                .target("alert:" + alert.rule()).outcome(AuditEvent.Outcome.SUCCESS).reason(alert.summary())
                .detail("alertId", alert.id().toString()).detail("severity", alert.severity().wireName())
                .detail("related", Integer.toString(alert.relatedEventIds().size())).emit();
    }

    public long raisedCount() {
        return raised.get();
    }

    public long failedCount() {
        return failed.get();
    }
}
