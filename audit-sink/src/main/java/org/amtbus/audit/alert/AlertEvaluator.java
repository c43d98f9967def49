package org.amtbus.audit.alert;

import java.util.List;
import java.util.Objects;
import org.amtbus.audit.verify.VerificationResult;
import org.amtbus.schemas.model.Alert;
import org.amtbus.schemas.model.AuditEvent;

/**
 * The {@link AlertRules} and the {@link AlertPublisher}, serialized: evaluates valid audit events and verification
 * results from any thread, one at a time (the rules keep windows and are not thread-safe), and publishes what they
 * raise. Fed by an {@link AlertConsumer} (alert rules alone) or by the audit sink's stored events (one process).
 */
final class AlertEvaluator {

    private final AlertRules rules;
    private final AlertPublisher publisher;

    AlertEvaluator(AlertRules rules, AlertPublisher publisher) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
    }

    void evaluate(AuditEvent event) {
        List<Alert> alerts;
        synchronized (rules) {
            alerts = rules.evaluate(event);
        }
        alerts.forEach(publisher::publish);
    }

    void evaluate(VerificationResult result) {
        List<Alert> alerts;
        synchronized (rules) {
            alerts = rules.evaluate(result);
        }
        alerts.forEach(publisher::publish);
    }
}
