package org.amtbus.router;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Objects;
import org.amtbus.platform.kafka.ConsumerLoop;
import org.amtbus.schemas.SchemaType;
import org.amtbus.schemas.SchemaValidator;
import org.amtbus.schemas.Validation;
import org.amtbus.schemas.model.CommandResult;
import org.amtbus.schemas.topic.KafkaTopics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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

    @Override
    protected void handle(ConsumerRecord<String, byte[]> record) {
        Validation v = validator.validate(SchemaType.COMMAND_RESULT, record.value() == null ? new byte[0] : record.value());
        if (!(v instanceof Validation.Valid valid) || !(valid.payload() instanceof CommandResult result)) {
            metrics.counter("amtbus.router.gateway-results.invalid").increment();
            LOG.warn("skipping an invalid gateway result [partition: {}, offset: {}]", record.partition(), record.offset());
            return;
        }
        if (!results.decideReported(result, "reported")) {
            LOG.info("late result not published, the command was already answered [command: {}, status: {}]",
                    result.commandId(), result.status().wireName());
        }
    }

    @Override
    protected void beforeCommit() {
        results.flush();
    }
}
