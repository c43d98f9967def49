package org.amtbus.audit.alert;

import java.util.List;
import java.util.Objects;
import org.amtbus.platform.kafka.ConsumerLoop;
import org.amtbus.schemas.SchemaType;
import org.amtbus.schemas.SchemaValidator;
import org.amtbus.schemas.Validation;
import org.amtbus.schemas.model.AuditEvent;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Evaluates the alert rules on {@code amtbus.audit} (own consumer group, so the sink's progress
 * is unaffected) and publishes what they raise. Invalid records are skipped here (the sink notes them).
 * Windows live in memory: after a restart counting starts afresh. Runs on its own thread.
 */
final class AlertConsumer extends ConsumerLoop {

    private final AlertEvaluator evaluator;
    private final SchemaValidator validator;

    AlertConsumer(Consumer<String, byte[]> consumer, String topic, AlertEvaluator evaluator, SchemaValidator validator) {
        super(consumer, List.of(topic), "audit-alerts");
        this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
        this.validator = Objects.requireNonNull(validator, "validator");
    }

    @Override
    protected void handle(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        if (validator.validate(SchemaType.AUDIT_EVENT, record.value()) instanceof Validation.Valid valid) {
            evaluator.evaluate((AuditEvent) valid.payload());
        }
    }
}
