package org.amtbus.router;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.platform.device.DeviceLeases;
import org.amtbus.platform.device.Lease;
import org.amtbus.platform.kafka.ConsumerLoop;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.Command;
import org.amtbus.schemas.model.CommandResult;
import org.amtbus.schemas.topic.KafkaTopics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes {@code amtbus.commands}: validate, check the topic, re-check authorization, drop a repeated id,
 * refuse an expired command, find the gateway holding the device and forward the command to
 * {@code amtbus.gateway.{id}} (with the broker's headers), or answer {@code offline}.
 *
 * <p>Invariants: offsets are committed only after what a batch produced is durable in Kafka
 * ({@link #beforeCommit}); a command id is forwarded at most once, even across restarts and rebalances
 * (the ledger marks it forwarded before it is sent; a redelivered record finds it so); one device's
 * commands keep their order (same key, same partition, forwarded in order); no record stops the loop:
 * a failure is counted and, if PostgreSQL is down, the batch is retried rather than skipped.
 */
public final class CommandRouter extends ConsumerLoop {

    private static final Logger LOG = LoggerFactory.getLogger(CommandRouter.class);

    /** Settings: how long a command may wait for its gateway's result, and the default ttl. */
    public record Timing(Duration resultDeadline, int defaultTtlSeconds) {
        public Timing {
            if (resultDeadline.isNegative() || resultDeadline.isZero()) {
                throw new IllegalArgumentException("resultDeadline must be positive");
            }
        }
    }

    private final CommandIntake intake;
    private final CommandAuthorizer authorizer;
    private final CommandLedger ledger;
    private final DeviceLeases leases;
    private final TerminalResults results;
    private final Producer<String, byte[]> producer;
    private final AuditLog audit;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final Timing timing;

    public CommandRouter(Consumer<String, byte[]> consumer, CommandIntake intake, CommandAuthorizer authorizer,
                         CommandLedger ledger, DeviceLeases leases, TerminalResults results, Producer<String, byte[]> producer,
                         AuditLog audit, MeterRegistry metrics, Clock clock, Timing timing) {
        super(consumer, List.of(KafkaTopics.COMMANDS), "command-router");
        this.intake = Objects.requireNonNull(intake);
        this.authorizer = Objects.requireNonNull(authorizer);
        this.ledger = Objects.requireNonNull(ledger);
        this.leases = Objects.requireNonNull(leases);
        this.results = Objects.requireNonNull(results);
        this.producer = Objects.requireNonNull(producer);
        this.audit = Objects.requireNonNull(audit);
        this.metrics = Objects.requireNonNull(metrics);
        this.clock = Objects.requireNonNull(clock);
        this.timing = Objects.requireNonNull(timing);
    }

    @Override
    protected void handle(ConsumerRecord<String, byte[]> record) {
        CommandIntake.Decision decision;
        try {
            decision = intake.decide(record);
        } catch (RuntimeException e) {
            LOG.error("could not read a command record [partition: {}, offset: {}]", record.partition(), record.offset(), e);
            metrics.counter("amtbus.router.dropped", "reason", "unreadable").increment();
            return;
        }
        switch (decision) {
            case CommandIntake.Decision.Drop d -> {
                metrics.counter("amtbus.router.dropped", "reason", "unaddressable").increment();
                audit.event("command.rejected").actor(AuditEvent.Actor.service("command-router"))
                        .outcome(AuditEvent.Outcome.DENIED).reason(d.reason()).emit();
                LOG.info("dropped a command record [partition: {}, offset: {}, reason: {}]", record.partition(),
                        record.offset(), d.reason());
            }
            case CommandIntake.Decision.Reject r -> {
                metrics.counter("amtbus.router.rejected", "reason", r.field() == null ? "invalid" : r.field()).increment();
                results.decideOwn(r.commandId(), r.tenant(), r.guid(), r.action(), CommandResult.Status.REJECTED, r.reason(),
                        r.field(), r.principal());
            }
            case CommandIntake.Decision.Accept a -> route(record, a.command(), a.principal());
        }
    }

    private void route(ConsumerRecord<String, byte[]> record, Command command, Optional<String> principal) {
        String refusal = authorizer.refusal(command, principal);
        if (refusal != null) {
            metrics.counter("amtbus.router.rejected", "reason", "unauthorized").increment();
            results.decideOwn(command.id(), command.tenant(), command.guid(), command.action().wireName(),
                    CommandResult.Status.REJECTED, refusal, null, principal);
            return;
        }
        switch (ledger.accept(command, principal, record.topic() + "/" + record.partition() + "/" + record.offset())) {
            case CommandLedger.Arrival.Pending p -> {
                metrics.counter("amtbus.router.duplicates").increment();
                return;
            }
            case CommandLedger.Arrival.Decided d when d.redelivery() -> {
                // read again after a restart: its result went out then (or housekeeping sends it); stay silent
                return;
            }
            case CommandLedger.Arrival.Decided d -> {
                metrics.counter("amtbus.router.duplicates").increment();
                // the requester sees the first result again (same result id); nothing runs twice
                results.republish(command.id(), command.guid().value(), d.result());
                return;
            }
            case CommandLedger.Arrival.First f -> {
            }
        }
        int ttl = command.ttlSeconds() == null ? timing.defaultTtlSeconds() : command.ttlSeconds();
        Instant now = clock.instant();
        if (now.isAfter(command.time().plusSeconds(ttl))) {
            results.decideOwn(command.id(), command.tenant(), command.guid(), command.action().wireName(),
                    CommandResult.Status.EXPIRED, "the command's ttl of " + ttl + " s passed before it was routed", null, principal);
            return;
        }
        Optional<Lease> holder = leases.holder(command.guid());
        if (holder.isEmpty() || !holder.get().tenant().equals(command.tenant())) {
            results.decideOwn(command.id(), command.tenant(), command.guid(), command.action().wireName(),
                    CommandResult.Status.OFFLINE, "no gateway holds the device", null, principal);
            return;
        }
        ledger.forwarded(command.id(), holder.get().gatewayId(), now.plus(timing.resultDeadline()));
        ProducerRecord<String, byte[]> out = new ProducerRecord<>(KafkaTopics.gateway(holder.get().gatewayId()),
                command.guid().value(), record.value());
        for (Header h : record.headers()) {
            out.headers().add(h);
        }
        producer.send(out);
        metrics.counter("amtbus.router.forwarded").increment();
        audit.event("command.accepted")
                .actor(principal.map(AuditEvent.Actor::user).orElse(AuditEvent.Actor.service("command-router")))
                .tenant(command.tenant()).target("device:" + command.guid().value()).outcome(AuditEvent.Outcome.SUCCESS)
                .detail("command", command.id().toString()).detail("action", command.action().wireName())
                .detail("gateway", holder.get().gatewayId().value()).emit();
    }

    @Override
    protected void beforeCommit() {
        producer.flush();
        results.flush();
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
