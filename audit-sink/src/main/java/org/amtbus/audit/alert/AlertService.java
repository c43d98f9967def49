package org.amtbus.audit.alert;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.amtbus.audit.query.AuditQueries;
import org.amtbus.audit.sink.AuditSink;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.platform.kafka.KafkaClients;
import org.amtbus.schemas.SchemaValidator;
import org.amtbus.schemas.model.AuditEvent;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert rules of a node, assembled: the {@link AlertRules} fed with audit events, a producer to
 * {@code amtbus.alerts}, and optionally a periodic chain verification whose failure is an alert. The events come
 * either from a consumer of {@code amtbus.audit} of its own ({@link #start}: group {@code amtbus-audit-alerts},
 * newest records when new), or, in a process that also runs the audit sink, from the sink's newly stored events
 * ({@link #attach}): parsed and validated once, no second consumer.
 *
 * <p>Invariants: once {@link #start} returns, the consumer owns its partitions; {@link #close()} stops
 * verifying, then consuming, then flushes the producer. Start and close block.
 */
public final class AlertService implements AutoCloseable {

    /**
     * Attached to the sink, events older than this (by event time) raise nothing: they come from a backlog (a new
     * sink group reading the retained topic from its start), which a consumer of its own would not have read either.
     */
    public static final Duration ATTACHED_REPLAY_GUARD = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(AlertService.class);

    private final AlertEvaluator evaluator;
    private final AlertConsumer consumer;
    private final AuditSink feeding;
    private final AlertPublisher publisher;
    private final Producer<String, byte[]> producer;
    private final ScheduledExecutorService verifier;

    private AlertService(AlertEvaluator evaluator, AlertConsumer consumer, AuditSink feeding, AlertPublisher publisher,
                         Producer<String, byte[]> producer, ScheduledExecutorService verifier) {
        this.evaluator = evaluator;
        this.consumer = consumer;
        this.feeding = feeding;
        this.publisher = publisher;
        this.producer = producer;
        this.verifier = verifier;
    }

    /**
     * The alert rules alone: a consumer of {@code config.auditTopic()} of their own validates and evaluates.
     *
     * @param audit          where {@code alert.raised} events go (the node's AuditLog)
     * @param queries        the trail to verify every {@code verifyInterval}; null to verify elsewhere
     *                       (then call {@link #verified})
     * @param verifyInterval how often the whole trail is verified (e.g. 1 h); ignored when {@code queries} is null
     */
    public static AlertService start(KafkaClients kafka, AuditLog audit, AlertConfig config, Clock clock,
                                     AuditQueries queries, Duration verifyInterval) {
        Objects.requireNonNull(config, "config");
        Producer<String, byte[]> producer = kafka.producer("alerts");
        AlertPublisher publisher = new AlertPublisher(producer, config.alertsTopic(), audit);
        AlertEvaluator evaluator = new AlertEvaluator(new AlertRules(config, clock), publisher);
        AlertConsumer consumer = new AlertConsumer(kafka.consumer(config.groupId(), KafkaClients.OffsetReset.LATEST),
                config.auditTopic(), evaluator, new SchemaValidator());
        consumer.start();
        if (!consumer.awaitReady(Duration.ofSeconds(30))) {
            consumer.close();
            producer.close();
            throw new IllegalStateException("the alert rules did not get their partitions of " + config.auditTopic()
                    + " within 30 s; is Kafka reachable?");
        }
        LOG.info("event=alerts.started source=consumer topic={} alerts={} group={} authFailures>{}/{} commandTopic={} certWithin={}",
                config.auditTopic(), config.alertsTopic(), config.groupId(), config.authFailureThreshold(),
                config.authFailureWindow(), config.commandTopic(), config.certExpiryWithin());
        return new AlertService(evaluator, consumer, null, publisher, producer, verifying(evaluator, queries, verifyInterval));
    }

    /**
     * The alert rules fed by the audit sink of the same process: each event once, after it is stored, already
     * validated ({@link AuditSink#onStoredEvents}); events older than {@link #ATTACHED_REPLAY_GUARD} are skipped.
     * The sink must read {@code config.auditTopic()}. Parameters as for {@link #start}.
     */
    public static AlertService attach(AuditSink sink, KafkaClients kafka, AuditLog audit, AlertConfig config,
                                      Clock clock, AuditQueries queries, Duration verifyInterval) {
        Objects.requireNonNull(config, "config");
        Producer<String, byte[]> producer = kafka.producer("alerts");
        AlertPublisher publisher = new AlertPublisher(producer, config.alertsTopic(), audit);
        AlertEvaluator evaluator = new AlertEvaluator(new AlertRules(config, clock), publisher);
        sink.onStoredEvents(events -> {
            Instant oldest = clock.instant().minus(ATTACHED_REPLAY_GUARD);
            for (AuditEvent event : events) {
                if (!event.time().isBefore(oldest)) {
                    evaluator.evaluate(event);
                }
            }
        });
        LOG.info("event=alerts.started source=audit-sink alerts={} authFailures>{}/{} commandTopic={} certWithin={}",
                config.alertsTopic(), config.authFailureThreshold(), config.authFailureWindow(), config.commandTopic(),
                config.certExpiryWithin());
        return new AlertService(evaluator, null, sink, publisher, producer, verifying(evaluator, queries, verifyInterval));
    }

    private static ScheduledExecutorService verifying(AlertEvaluator evaluator, AuditQueries queries,
                                                      Duration verifyInterval) {
        if (queries == null) {
            return null;
        }
        ScheduledExecutorService verifier = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "audit-verify");
            t.setDaemon(true);
            return t;
        });
        long every = verifyInterval.toMillis();
        verifier.scheduleWithFixedDelay(() -> {
            try {
                evaluator.evaluate(queries.verify());
            } catch (RuntimeException e) {
                LOG.warn("event=audit.verify-failed reason=\"{}\"", e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        return verifier;
    }

    /** Feeds the result of a verification run elsewhere (e.g. {@code amtbus audit verify}) to the chain rule. */
    public void verified(org.amtbus.audit.verify.VerificationResult result) {
        evaluator.evaluate(result);
    }

    public long raisedCount() {
        return publisher.raisedCount();
    }

    @Override
    public void close() {
        if (verifier != null) {
            verifier.shutdownNow();
        }
        if (consumer != null) {
            consumer.close();
        }
        if (feeding != null) {
            feeding.onStoredEvents(events -> { }); // the sink may outlive the rules (it closes after them)
        }
        producer.flush();
        producer.close();
    }
}
