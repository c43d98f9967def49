package org.amtbus.gateway.command;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.amtbus.platform.kafka.ConsumerLoop;
import org.amtbus.schemas.SchemaType;
import org.amtbus.schemas.SchemaValidator;
import org.amtbus.schemas.Validation;
import org.amtbus.schemas.model.Command;
import org.amtbus.schemas.topic.BridgeHeaders;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads this gateway's command topic ({@code amtbus.gateway.{id}}, written by the router) and hands each
 * command to {@link DeviceCommands}. The offset is committed once the command is queued, not once it ran:
 * a gateway that dies mid-command does not run it again after a restart (power actions are never replayed
 * blindly); the router's deadline answers such a command {@code indeterminate}. A record that is not a
 * valid command is counted and skipped, never allowed to stop the loop.
 */
public final class GatewayCommandConsumer extends ConsumerLoop {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayCommandConsumer.class);
    private final DeviceCommands commands;
    private final SchemaValidator validator;
    private final MeterRegistry metrics;

    public GatewayCommandConsumer(Consumer<String, byte[]> consumer, String topic, DeviceCommands commands,
                                  SchemaValidator validator, MeterRegistry metrics) {
        super(consumer, List.of(topic), "gateway-commands");
        this.commands = Objects.requireNonNull(commands);
        this.validator = Objects.requireNonNull(validator);
        this.metrics = Objects.requireNonNull(metrics);
    }

    @Override
    protected void handle(ConsumerRecord<String, byte[]> record) {
        try {
            Validation validation = validator.validate(SchemaType.COMMAND, record.value() == null ? new byte[0] : record.value());
            if (!(validation instanceof Validation.Valid valid) || !(valid.payload() instanceof Command command)) {
                metrics.counter("amtbus.gateway.commands.invalid").increment();
                LOG.warn("skipping an invalid record on the gateway topic [partition: {}, offset: {}]", record.partition(),
                        record.offset());
                return;
            }
            commands.submit(command, header(record, BridgeHeaders.PRINCIPAL));
        } catch (RuntimeException e) {
            metrics.counter("amtbus.gateway.commands.invalid").increment();
            LOG.error("could not queue a command [partition: {}, offset: {}]", record.partition(), record.offset(), e);
        }
    }

    private static Optional<String> header(ConsumerRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? Optional.empty() : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
    }
}
