package org.amtbus.router;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.amtbus.platform.kafka.ConsumerLoop;
import org.amtbus.schemas.SchemaType;
import org.amtbus.schemas.SchemaValidator;
import org.amtbus.schemas.Validation;
import org.amtbus.schemas.model.CommandResult;
import org.amtbus.schemas.topic.KafkaTopics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what gateways report on {@code amtbus.gateway-results} and makes each the command's terminal result
 * on {@code amtbus.results}, unless the command already has one (its deadline passed first: the late
 * report is counted and logged, not published). Offsets are committed after the published results are
 * durable.
 */
public final class GatewayResults extends ConsumerLoop {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayResults.class);
    private final TerminalResults results;
    private final SchemaValidator validator;
    private final MeterRegistry metrics;

    public GatewayResults(Consumer<String, byte[]> consumer, TerminalResults results, SchemaValidator validator,
                          MeterRegistry metrics) {
        super(consumer, List.of(KafkaTopics.GATEWAY_RESULTS), "router-gateway-results");
        this.results = Objects.requireNonNull(results);
        this.validator = Objects.requireNonNull(validator);
        this.metrics = Objects.requireNonNull(metrics);
    }

    /** A poll's results are decided with one ledger statement, not one round trip each. */
    @Override
    protected void handleBatch(ConsumerRecords<String, byte[]> records) {
        List<CommandResult> valid = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            Validation v = validator.validate(SchemaType.COMMAND_RESULT, record.value() == null ? new byte[0] : record.value());
            if (v instanceof Validation.Valid ok && ok.payload() instanceof CommandResult result) {
                valid.add(result);
            } else {
                metrics.counter("amtbus.router.gateway-results.invalid").increment();
                LOG.warn("skipping an invalid gateway result [partition: {}, offset: {}]", record.partition(), record.offset());
            }
        }
        if (valid.isEmpty()) {
            return;
        }
        List<CommandResult> published = results.decideReportedAll(valid, "reported");
        if (published.size() < valid.size()) {
            Set<UUID> out = new HashSet<>();
            published.forEach(r -> out.add(r.commandId()));
            for (CommandResult r : valid) {
                if (!out.remove(r.commandId())) {
                    LOG.info("late result not published, the command was already answered [command: {}, status: {}]",
                            r.commandId(), r.status().wireName());
                }
            }
        }
    }

    @Override
    protected void handle(ConsumerRecord<String, byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        handleBatch(new ConsumerRecords<>(Map.of(tp, List.of(record)), Map.of()));
    }

    @Override
    protected void beforeCommit() {
        results.flush();
    }
}
