package org.amtbus.audit.alert;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.amtbus.audit.query.AuditQueries;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.platform.kafka.KafkaClients;
import org.amtbus.schemas.SchemaValidator;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert rules of a node, assembled: a consumer of {@code amtbus.audit} (group
 * {@code amtbus-audit-alerts}, newest records when new) evaluating {@link AlertRules}, a producer to
 * {@code amtbus.alerts}, and optionally a periodic chain verification whose failure is an alert.
 *
 * <p>Invariants: once {@link #start} returns, the consumer owns its partitions; {@link #close()} stops
 * verifying, then consuming, then flushes the producer. Start and close block.
 */
public final class AlertService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertService.class);

    private final AlertConsumer consumer;
    private final AlertPublisher publisher;
    private final Producer<String, byte[]> producer;
    private final ScheduledExecutorService verifier;

    private AlertService(AlertConsumer consumer, AlertPublisher publisher, Producer<String, byte[]> producer,
                         ScheduledExecutorService verifier) {
        this.consumer = consumer;
        this.publisher = publisher;
        this.producer = producer;
        this.verifier = verifier;
    }

    /**
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
        AlertConsumer consumer = new AlertConsumer(kafka.consumer(config.groupId(), KafkaClients.OffsetReset.LATEST),
                config.auditTopic(), new AlertRules(config, clock), publisher, new SchemaValidator());
        consumer.start();
        if (!consumer.awaitReady(Duration.ofSeconds(30))) {
            consumer.close();
            producer.close();
            throw new IllegalStateException("the alert rules did not get their partitions of " + config.auditTopic()
                    + " within 30 s; is Kafka reachable?");
        }
        ScheduledExecutorService verifier = null;
        if (queries != null) {
            verifier = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "audit-verify");
                t.setDaemon(true);
                return t;
            });
            long every = verifyInterval.toMillis();
            verifier.scheduleWithFixedDelay(() -> {
                try {
                    consumer.verified(queries.verify());
                } catch (RuntimeException e) {
                    LOG.warn("event=audit.verify-failed reason=\"{}\"", e.getMessage());
                }
            }, every, every, TimeUnit.MILLISECONDS);
        }
        LOG.info("event=alerts.started topic={} alerts={} group={} authFailures>{}/{} commandTopic={} certWithin={}",
                config.auditTopic(), config.alertsTopic(), config.groupId(), config.authFailureThreshold(),
                config.authFailureWindow(), config.commandTopic(), config.certExpiryWithin());
        return new AlertService(consumer, publisher, producer, verifier);
    }

    /** Feeds the result of a verification run elsewhere (e.g. {@code amtbus audit verify}) to the chain rule. */
    public void verified(org.amtbus.audit.verify.VerificationResult result) {
        consumer.verified(result);
    }

    public long raisedCount() {
        return publisher.raisedCount();
    }

    @Override
    public void close() {
        if (verifier != null) {
            verifier.shutdownNow();
        }
        consumer.close();
        producer.flush();
        producer.close();
    }
}
