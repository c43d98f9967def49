package org.amtbus.router;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.amtbus.acl.level.AccessLoader;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.platform.device.DeviceLeases;
import org.amtbus.platform.kafka.KafkaClients;
import org.amtbus.schemas.SchemaValidator;
import org.apache.kafka.clients.producer.Producer;

/**
 * The command-router role: the router on {@code amtbus.commands}, the relay of gateway results and the
 * deadline sweeper. Routers share one consumer group, so several of them split the partitions.
 */
public final class CommandRouterRole implements AutoCloseable {

    /**
     * @param resultDeadline how long a forwarded command may wait for its gateway's result
     * @param dedupeWindow   how long a command id is remembered (a repeat within it is not executed again)
     */
    public record Settings(Duration resultDeadline, Duration dedupeWindow, int defaultTtlSeconds, Duration sweepPeriod) {
        public Settings {
            Objects.requireNonNull(resultDeadline);
            Objects.requireNonNull(dedupeWindow);
            Objects.requireNonNull(sweepPeriod);
            if (dedupeWindow.compareTo(Duration.ofSeconds(3600)) < 0) {
                throw new IllegalArgumentException("the de-duplication window must be at least the longest ttl (3600 s)");
            }
        }

        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(120), Duration.ofHours(2), 300, Duration.ofSeconds(1));
        }
    }

    public static final String GROUP = "amtbus-command-router";

    private final CommandRouter router;
    private final GatewayResults relay;
    private final DeadlineSweeper sweeper;
    private final TerminalResults results;
    private final Producer<String, byte[]> producer;

    private CommandRouterRole(CommandRouter router, GatewayResults relay, DeadlineSweeper sweeper, TerminalResults results,
                              Producer<String, byte[]> producer) {
        this.router = router;
        this.relay = relay;
        this.sweeper = sweeper;
        this.results = results;
        this.producer = producer;
    }

    public static CommandRouterRole start(Settings settings, DataSource database, AccessLoader access, KafkaClients kafka,
                                          AuditLog audit, MeterRegistry metrics, Clock clock) {
        CommandLedger ledger = new CommandLedger(database);
        Producer<String, byte[]> producer = kafka.producer("command-router");
        TerminalResults results = new TerminalResults(ledger, producer, audit, metrics, clock);
        SchemaValidator validator = new SchemaValidator();
        CommandRouter router = new CommandRouter(kafka.consumer(GROUP, KafkaClients.OffsetReset.EARLIEST),
                new CommandIntake(validator), new CommandAuthorizer(access, Duration.ofSeconds(1), System::nanoTime),
                ledger, new DeviceLeases(database), results, producer, audit, metrics, clock,
                new CommandRouter.Timing(settings.resultDeadline(), settings.defaultTtlSeconds()));
        GatewayResults relay = new GatewayResults(kafka.consumer(GROUP + "-results", KafkaClients.OffsetReset.EARLIEST),
                results, validator, metrics);
        DeadlineSweeper sweeper = new DeadlineSweeper(ledger, results, settings.dedupeWindow());
        relay.start();
        router.start();
        if (!relay.awaitReady(Duration.ofSeconds(60)) || !router.awaitReady(Duration.ofSeconds(60))) {
            router.close();
            relay.close();
            results.close();
            producer.close();
            throw new IllegalStateException("the command router's topics were not assigned within 60 s");
        }
        sweeper.start(settings.sweepPeriod());
        return new CommandRouterRole(router, relay, sweeper, results, producer);
    }

    @Override
    public void close() {
        sweeper.close();
        router.close();
        relay.close();
        results.close();
        producer.close(Duration.ofSeconds(5));
    }
}
