package org.amtbus.router;

import io.micrometer.core.instrument.MeterRegistry;
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
 * <p>A poll's records are routed together with a fixed number of database round trips (look up the holders,
 * then accept the batch, recording each new routable command as forwarded in the same statement), not three per
 * command; within the batch each record is decided in order.
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

    /** A valid, authorized command of the batch waiting for the ledger and the lease table. */
    private record Candidate(ConsumerRecord<String, byte[]> record, Command command, Optional<String> principal,
                             String source) {
    }

    @Override
    protected void handleBatch(org.apache.kafka.clients.consumer.ConsumerRecords<String, byte[]> records) {
        List<Candidate> candidates = new java.util.ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            CommandIntake.Decision decision;
            try {
                decision = intake.decide(record);
            } catch (RuntimeException e) {
                LOG.error("could not read a command record [partition: {}, offset: {}]", record.partition(), record.offset(), e);
                metrics.counter("amtbus.router.dropped", "reason", "unreadable").increment();
                continue;
            }
            if (decision instanceof CommandIntake.Decision.Accept a) {
                String refusal = authorizer.refusal(a.command(), a.principal());
                if (refusal != null) {
                    metrics.counter("amtbus.router.rejected", "reason", "unauthorized").increment();
                    results.decideOwn(a.command().id(), a.command().tenant(), a.command().guid(),
                            a.command().action().wireName(), CommandResult.Status.REJECTED, refusal, null, a.principal());
                } else {
                    candidates.add(new Candidate(record, a.command(), a.principal(),
                            record.topic() + "/" + record.partition() + "/" + record.offset()));
                }
            } else {
                refuse(record, decision);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        java.util.Map<org.amtbus.schemas.model.DeviceGuid, Lease> holders = leases.holders(
                candidates.stream().map(c -> c.command().guid()).toList());
        Instant now = clock.instant();
        java.util.Map<java.util.UUID, CommandLedger.Forwarded> routes = new java.util.HashMap<>();
        for (Candidate c : candidates) {
            Command command = c.command();
            Lease holder = holders.get(command.guid());
            if (!expired(command, now) && holder != null && holder.tenant().equals(command.tenant())) {
                routes.putIfAbsent(command.id(), new CommandLedger.Forwarded(command.id(), holder.gatewayId(),
                        now.plus(timing.resultDeadline())));
            }
        }
        java.util.Map<java.util.UUID, CommandLedger.Arrival> arrivals = ledger.acceptAll(candidates.stream()
                .map(c -> new CommandLedger.Incoming(c.command(), c.principal(), c.source(),
                        java.util.Optional.ofNullable(routes.get(c.command().id())))).toList());
        java.util.Set<java.util.UUID> firstSeen = new java.util.HashSet<>();
        List<CommandLedger.Forwarded> forwarded = new java.util.ArrayList<>();
        List<ProducerRecord<String, byte[]>> sends = new java.util.ArrayList<>();
        for (Candidate c : candidates) {
            Command command = c.command();
            CommandLedger.Arrival arrival = arrivals.getOrDefault(command.id(), new CommandLedger.Arrival.Pending("unknown"));
            if ((arrival instanceof CommandLedger.Arrival.First || arrival instanceof CommandLedger.Arrival.Routed)
                    && !firstSeen.add(command.id())) {
                arrival = new CommandLedger.Arrival.Pending("accepted in this batch");
            }
            boolean recordedForwarded = arrival instanceof CommandLedger.Arrival.Routed;
            switch (arrival) {
                case CommandLedger.Arrival.Pending p -> {
                    metrics.counter("amtbus.router.duplicates").increment();
                    continue;
                }
                case CommandLedger.Arrival.Decided d when d.redelivery() -> {
                    continue;
                }
                case CommandLedger.Arrival.Decided d -> {
                    metrics.counter("amtbus.router.duplicates").increment();
                    results.republish(command.id(), command.guid().value(), d.result());
                    continue;
                }
                case CommandLedger.Arrival.First f -> {
                }
                case CommandLedger.Arrival.Routed r -> {
                }
            }
            int ttl = ttlOf(command);
            if (expired(command, now)) {
                results.decideOwn(command.id(), command.tenant(), command.guid(), command.action().wireName(),
                        CommandResult.Status.EXPIRED, "the command's ttl of " + ttl + " s passed before it was routed", null,
                        c.principal());
                continue;
            }
            Lease holder = holders.get(command.guid());
            if (holder == null || !holder.tenant().equals(command.tenant())) {
                results.decideOwn(command.id(), command.tenant(), command.guid(), command.action().wireName(),
                        CommandResult.Status.OFFLINE, "no gateway holds the device", null, c.principal());
                continue;
            }
            if (!recordedForwarded) {
                // accepted earlier (a crash before it was forwarded): recorded as forwarded below, before the send
                forwarded.add(new CommandLedger.Forwarded(command.id(), holder.gatewayId(), now.plus(timing.resultDeadline())));
            }
            ProducerRecord<String, byte[]> out = new ProducerRecord<>(KafkaTopics.gateway(holder.gatewayId()),
                    command.guid().value(), c.record().value());
            for (Header h : c.record().headers()) {
                out.headers().add(h);
            }
            sends.add(out);
            audit.event("command.accepted")
                    .actor(c.principal().map(AuditEvent.Actor::user).orElse(AuditEvent.Actor.service("command-router")))
                    .tenant(command.tenant()).target("device:" + command.guid().value()).outcome(AuditEvent.Outcome.SUCCESS)
                    .detail("command", command.id().toString()).detail("action", command.action().wireName())
                    .detail("gateway", holder.gatewayId().value()).emit();
        }
        // marked before they are sent: a record read again after a crash is never forwarded twice
        ledger.forwardedAll(forwarded);
        sends.forEach(producer::send);
        metrics.counter("amtbus.router.forwarded").increment(sends.size());
    }

    private int ttlOf(Command command) {
        return command.ttlSeconds() == null ? timing.defaultTtlSeconds() : command.ttlSeconds();
    }

    private boolean expired(Command command, Instant now) {
        return now.isAfter(command.time().plusSeconds(ttlOf(command)));
    }

    private void refuse(ConsumerRecord<String, byte[]> record, CommandIntake.Decision decision) {
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
            case CommandIntake.Decision.Accept a -> throw new IllegalArgumentException("an accepted command is not refused");
        }
    }

    /** One record alone is a batch of one (the loop always calls {@link #handleBatch}). */
    @Override
    protected void handle(ConsumerRecord<String, byte[]> record) {
        org.apache.kafka.common.TopicPartition tp = new org.apache.kafka.common.TopicPartition(record.topic(), record.partition());
        handleBatch(new org.apache.kafka.clients.consumer.ConsumerRecords<>(java.util.Map.of(tp, List.of(record)), java.util.Map.of()));
    }

    @Override
    protected void beforeCommit() {
        producer.flush();
        results.flush();
    }
}
