package org.amtbus.router;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import io.micrometer.core.instrument.MeterRegistry;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.CommandResult;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.KafkaTopics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Decides and publishes terminal results: the ledger first (so only one decision per command wins), then
 * {@code amtbus.results}, then, after {@link #flush()}, the ledger learns they are out. Results the router
 * makes itself get an id derived from the command id and status, so a result repeated after a crash has
 * the same id and consumers can drop it. Thread-safe.
 *
 * <p>The "published" marks are written by a thread of their own, not by the consumer loop that flushed: they
 * commit without waiting for the disk anyway (a lost mark only makes the sweeper publish the same result again),
 * so the loop need not wait for their round trip before its next poll.
 */
public final class TerminalResults implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TerminalResults.class);
    /** Batches of marks waiting for PostgreSQL; beyond this the flushing loop writes its own marks (back-pressure). */
    static final int MARKS_WAITING = 64;

    private final CommandLedger ledger;
    private final Producer<String, byte[]> producer;
    private final AuditLog audit;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final ConcurrentLinkedQueue<UUID> sent = new ConcurrentLinkedQueue<>();
    private final java.util.concurrent.ThreadPoolExecutor marker = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0,
            java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.ArrayBlockingQueue<>(MARKS_WAITING), r -> {
                Thread t = new Thread(r, "router-published-marks");
                t.setDaemon(true);
                return t;
            }, new java.util.concurrent.ThreadPoolExecutor.CallerRunsPolicy());

    public TerminalResults(CommandLedger ledger, Producer<String, byte[]> producer, AuditLog audit, MeterRegistry metrics,
                           Clock clock) {
        this.ledger = Objects.requireNonNull(ledger);
        this.producer = Objects.requireNonNull(producer);
        this.audit = Objects.requireNonNull(audit);
        this.metrics = Objects.requireNonNull(metrics);
        this.clock = Objects.requireNonNull(clock);
    }

    /** A result the router decides; false if the command already had one (nothing is published then). */
    public boolean decideOwn(UUID commandId, TenantId tenant, DeviceGuid guid, String action, CommandResult.Status status,
                             String reason, String field, Optional<String> principal) {
        UUID id = UUID.nameUUIDFromBytes((commandId + ":" + status.wireName()).getBytes(StandardCharsets.UTF_8));
        CommandResult result = new CommandResult(id, commandId, tenant, guid, status, reason, field, Map.of(), null,
                clock.instant());
        byte[] bytes = Json.write(result);
        boolean decided = status == CommandResult.Status.REJECTED && action == null
                || ledger.decide(commandId, tenant.value(), guid.toUuid(), action == null ? "invalid" : action,
                        status.wireName(), bytes);
        if (!decided) {
            return false;
        }
        publish(commandId, guid.value(), bytes, status == CommandResult.Status.REJECTED && action == null);
        metrics.counter("amtbus.router.results", "status", status.wireName(), "by", "router").increment();
        AuditEvent.Actor actor = principal.filter(p -> p.matches("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}"))
                .map(AuditEvent.Actor::user).orElse(AuditEvent.Actor.service("command-router"));
        audit.event(status == CommandResult.Status.REJECTED ? "command.rejected" : "command.completed").actor(actor)
                .tenant(tenant).target("device:" + guid.value())
                .outcome(status == CommandResult.Status.REJECTED ? AuditEvent.Outcome.DENIED : AuditEvent.Outcome.FAILURE)
                .reason(reason).detail("command", commandId.toString()).detail("status", status.wireName())
                .detail("action", action == null ? "invalid" : action).emit();
        return true;
    }

    /**
     * Results gateways reported, decided in one ledger statement: as {@link #decideReported} for each, in order. A
     * command's first result in the batch is the one that can win; a later one for the same command is late. Returns
     * the results that were published.
     */
    public List<CommandResult> decideReportedAll(List<CommandResult> reported, String action) {
        java.util.Map<UUID, CommandResult> first = new java.util.LinkedHashMap<>();
        java.util.Map<UUID, byte[]> bytes = new java.util.HashMap<>();
        int repeats = 0;
        for (CommandResult r : reported) {
            if (first.putIfAbsent(r.commandId(), r) != null) {
                repeats++;
            }
        }
        List<CommandLedger.Decision> decisions = new ArrayList<>(first.size());
        for (CommandResult r : first.values()) {
            byte[] b = Json.write(r);
            bytes.put(r.commandId(), b);
            decisions.add(new CommandLedger.Decision(r.commandId(), r.tenant().value(), r.guid().toUuid(), action,
                    r.status().wireName(), b));
        }
        java.util.Set<UUID> decided = ledger.decideAll(decisions);
        List<CommandResult> published = new ArrayList<>(decided.size());
        for (CommandResult r : first.values()) {
            if (decided.contains(r.commandId())) {
                publish(r.commandId(), r.guid().value(), bytes.get(r.commandId()), false);
                metrics.counter("amtbus.router.results", "status", r.status().wireName(), "by", "gateway").increment();
                published.add(r);
            }
        }
        int late = repeats + first.size() - decided.size();
        if (late > 0) {
            metrics.counter("amtbus.router.results.late").increment(late);
        }
        return published;
    }

    /** Publishes a result decided earlier (a repeated command id, or one a crash left unpublished). */
    public void republish(UUID commandId, String guid, byte[] result) {
        publish(commandId, guid, result, false);
    }

    private void publish(UUID commandId, String guid, byte[] result, boolean unledgered) {
        producer.send(new ProducerRecord<>(KafkaTopics.RESULTS, guid, result));
        if (!unledgered) {
            sent.add(commandId);
        }
    }

    /**
     * Waits until everything published so far is durable in Kafka, then has it recorded in the ledger (on the
     * marks' thread; see the class comment).
     */
    public void flush() {
        List<UUID> batch = new ArrayList<>();
        for (UUID id; (id = sent.peek()) != null && batch.size() < 10_000; ) {
            batch.add(sent.poll());
        }
        producer.flush();
        if (batch.isEmpty()) {
            return;
        }
        try {
            marker.execute(() -> mark(batch));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: the sweeper publishes these again after a restart, with the same result ids
            LOG.info("event=router.published-marks-skipped count={} reason=closing", batch.size());
        }
    }

    private void mark(List<UUID> batch) {
        try {
            ledger.published(batch);
        } catch (RuntimeException e) {
            metrics.counter("amtbus.router.published-marks.failed").increment();
            LOG.warn("event=router.published-marks-failed count={} consequence=sweeper-republishes: {}", batch.size(),
                    e.toString());
        }
    }

    /** Writes the marks still waiting (for up to 5 s); call after the loops that flush have stopped. */
    @Override
    public void close() {
        marker.shutdown();
        try {
            if (!marker.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
                marker.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
