package org.amtbus.audit.alert;

import java.util.List;
import java.util.Objects;
import org.amtbus.audit.verify.VerificationResult;
import org.amtbus.platform.kafka.ConsumerLoop;
import org.amtbus.schemas.SchemaType;
import org.amtbus.schemas.SchemaValidator;
import org.amtbus.schemas.Validation;
import org.amtbus.schemas.model.Alert;
import org.amtbus.schemas.model.AuditEvent;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Evaluates the {@link AlertRules} on {@code amtbus.audit} (own consumer group, so the sink's progress
 * is unaffected) and publishes what they raise. Invalid records are skipped here (the sink notes them).
 * Windows live in memory: after a restart counting starts afresh. Runs on its own thread;
 * {@link #verified} may be called from any thread (it is serialized with the consumer).
 */
public final class AlertConsumer extends ConsumerLoop {

    private final AlertRules rules;
    private final AlertPublisher publisher;
    private final SchemaValidator validator;

    public AlertConsumer(Consumer<String, byte[]> consumer, String topic, AlertRules rules, AlertPublisher publisher,
                         SchemaValidator validator) {
        super(consumer, List.of(topic), "audit-alerts");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.validator = Objects.requireNonNull(validator, "validator");
    }

    @Override
    protected void handle(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        if (validator.validate(SchemaType.AUDIT_EVENT, record.value()) instanceof Validation.Valid valid) {
            List<Alert> alerts;
            synchronized (rules) {
                alerts = rules.evaluate((AuditEvent) valid.payload());
            }
            alerts.forEach(publisher::publish);
        }
    }

    /** Feeds a verification result (e.g. from a periodic verify) to the chain rule. */
    public void verified(VerificationResult result) {
        List<Alert> alerts;
        synchronized (rules) {
            alerts = rules.evaluate(result);
        }
        alerts.forEach(publisher::publish);
    }
}
