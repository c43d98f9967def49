package org.amtbus.gateway.command;

import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.amtbus.gateway.device.ConnectedDevices;
import org.amtbus.gateway.device.DeviceLink;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.platform.device.DeviceSecrets;
import org.amtbus.platform.secret.Secret;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.Command;
import org.amtbus.schemas.model.CommandAction;
import org.amtbus.schemas.model.CommandResult;
import org.amtbus.schemas.model.DeviceEvent;
import org.amtbus.schemas.model.GatewayId;
import org.amtbus.schemas.topic.KafkaTopics;
import org.amtbus.wsman.client.CommandCatalogue;
import org.amtbus.wsman.client.CommandOutcome;
import org.amtbus.wsman.client.FailureKind;
import org.amtbus.wsman.client.PowerStates;
import org.amtbus.wsman.client.WsmanClient;
import org.amtbus.wsman.digest.DigestClient;
import org.amtbus.wsman.digest.Password;
import org.amtbus.wsman.message.WsmanRequests;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs commands on connected devices as WS-Man over APF channels and answers each with one
 * {@link CommandResult} on {@code amtbus.gateway-results} (the router makes it the terminal result); a power change also goes out as a {@link DeviceEvent}.
 *
 * <p>Invariants: one device's commands run one at a time, in the order submitted, on that device's own
 * virtual thread, so a slow device holds up nobody else; every submitted command gets exactly one result;
 * a power change whose outcome is unknown (the device went silent or the connection dropped after the
 * request) is {@code indeterminate}, never retried; the admin password is read from the secret store per
 * connection and never logged.
 */
public final class DeviceCommands implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceCommands.class);
    /** How long a command without a ttl stays valid: a power change must not happen long after it was asked for. */
    public static final int DEFAULT_TTL_SECONDS = 300;

    private final GatewayId gateway;
    private final ConnectedDevices connected;
    private final DeviceSecrets secrets;
    private final Producer<String, byte[]> producer;
    private final AuditLog audit;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final Duration exchangeTimeout;
    private final Map<UUID, Runner> runners = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    public DeviceCommands(GatewayId gateway, ConnectedDevices connected, DeviceSecrets secrets,
                          Producer<String, byte[]> producer, AuditLog audit, MeterRegistry metrics, Clock clock,
                          Duration exchangeTimeout) {
        this.gateway = Objects.requireNonNull(gateway);
        this.connected = Objects.requireNonNull(connected);
        this.secrets = Objects.requireNonNull(secrets);
        this.producer = Objects.requireNonNull(producer);
        this.audit = Objects.requireNonNull(audit);
        this.metrics = Objects.requireNonNull(metrics);
        this.clock = Objects.requireNonNull(clock);
        this.exchangeTimeout = Objects.requireNonNull(exchangeTimeout);
        connected.onGone(link -> {
            Runner r = runners.remove(link.connectionId());
            if (r != null) {
                r.close();
            }
        });
    }

    /**
     * Queues a command for its device, or answers it at once ({@code offline}, {@code expired}).
     *
     * @param principal who asked (from the bridge headers), for the audit trail
     */
    public void submit(Command command, Optional<String> principal) {
        int ttl = command.ttlSeconds() == null ? DEFAULT_TTL_SECONDS : command.ttlSeconds();
        if (clock.instant().isAfter(command.time().plusSeconds(ttl))) {
            finish(command, principal, CommandResult.Status.EXPIRED, "the command's ttl passed before it reached the device",
                    Map.of());
            return;
        }
        Optional<DeviceLink> link = connected.get(command.guid());
        if (link.isEmpty() || link.get().device() == null || !link.get().device().tenant().equals(command.tenant())) {
            finish(command, principal, CommandResult.Status.OFFLINE, "the device is not connected to gateway " + gateway.value(),
                    Map.of());
            return;
        }
        Runner runner = runners.computeIfAbsent(link.get().connectionId(), id -> new Runner(link.get()));
        runner.executor.execute(() -> runner.run(command, principal));
    }

    /** Commands queued or running now. */
    public int runners() {
        return runners.size();
    }

    private void finish(Command command, Optional<String> principal, CommandResult.Status status, String reason,
                        Map<String, Object> output) {
        CommandResult result = new CommandResult(UUID.randomUUID(), command.id(), command.tenant(), command.guid(), status,
                reason, null, output, gateway, clock.instant());
        producer.send(new ProducerRecord<>(KafkaTopics.GATEWAY_RESULTS, command.guid().value(), Json.write(result)),
                (metadata, error) -> {
                    if (error != null) {
                        LOG.error("command result not published [command: {}, status: {}]: {}", command.id(),
                                status.wireName(), error.toString());
                    }
                });
        metrics.counter("amtbus.gateway.commands", "action", command.action().wireName(), "status", status.wireName())
                .increment();
        AuditEvent.Actor actor = principal.filter(p -> p.matches("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}"))
                .map(AuditEvent.Actor::user).orElse(AuditEvent.Actor.service("gateway-" + gateway.value()));
        audit.event("command.completed").actor(actor).tenant(command.tenant()).target("device:" + command.guid().value())
                .outcome(status == CommandResult.Status.SUCCEEDED ? AuditEvent.Outcome.SUCCESS : AuditEvent.Outcome.FAILURE)
                .reason(reason).detail("command", command.id().toString()).detail("action", command.action().wireName())
                .detail("status", status.wireName()).detail("gateway", gateway.value()).emit();
    }

    private void powerEvent(Command command, int requestedState) {
        DeviceEvent event = new DeviceEvent(UUID.randomUUID(), command.tenant(), command.guid(), DeviceEvent.Type.POWER_STATE,
                Map.of("powerState", resultingState(requestedState), "requestedPowerStateCode", requestedState,
                        "action", command.action().wireName(), "commandId", command.id().toString()),
                clock.instant());
        producer.send(new ProducerRecord<>(KafkaTopics.EVENTS, command.guid().value(), Json.write(event)));
    }

    /** What the machine is in once a requested change is done: a reset or cycle ends with it on. */
    static String resultingState(int requested) {
        return switch (requested) {
            case PowerStates.ON, PowerStates.MASTER_BUS_RESET, PowerStates.POWER_CYCLE_OFF_SOFT,
                 PowerStates.MASTER_BUS_RESET_GRACEFUL -> "on";
            default -> PowerStates.name(requested);
        };
    }

    /** One connection's serial executor and its WS-Man client (which keeps the Digest nonce between commands). */
    private final class Runner implements AutoCloseable {
        final DeviceLink link;
        final ExecutorService executor = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("device-commands").factory());
        WsmanClient client;

        Runner(DeviceLink link) {
            this.link = link;
        }

        void run(Command command, Optional<String> principal) {
            try {
                if (connected.get(command.guid()).filter(current -> current == link).isEmpty()) {
                    // nothing was sent: the connection this command was queued for is gone
                    finish(command, principal, CommandResult.Status.FAILED,
                            "the device disconnected before the command was sent", Map.of());
                    return;
                }
                if (client == null) {
                    Optional<Secret> admin = secrets.get(command.guid(), DeviceSecrets.Kind.AMT_ADMIN_PASSWORD);
                    if (admin.isEmpty()) {
                        finish(command, principal, CommandResult.Status.FAILED,
                                "no AMT admin password is stored for the device", Map.of());
                        return;
                    }
                    char[] chars = admin.get().revealChars();
                    admin.get().destroy();
                    Password password = Password.of(chars);
                    java.util.Arrays.fill(chars, '\0');
                    client = new WsmanClient(link, new DigestClient("admin", password, random), command.guid().value(),
                            exchangeTimeout, InstantSource.system());
                }
                CommandOutcome outcome = new CommandCatalogue(client, new WsmanRequests()).execute(command.action());
                Optional<Integer> powerState = CommandCatalogue.powerStateFor(command.action());
                switch (outcome) {
                    case CommandOutcome.Succeeded s -> {
                        finish(command, principal, CommandResult.Status.SUCCEEDED, null, s.output());
                        powerState.ifPresent(state -> powerEvent(command, state));
                    }
                    case CommandOutcome.Failed f -> {
                        boolean unknown = powerState.isPresent()
                                && (f.kind() == FailureKind.TIMEOUT || f.kind() == FailureKind.TRANSPORT);
                        finish(command, principal, unknown ? CommandResult.Status.INDETERMINATE : CommandResult.Status.FAILED,
                                f.kind().name().toLowerCase(java.util.Locale.ROOT) + ": " + f.reason(), Map.of());
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("command failed unexpectedly [command: {}, guid: {}]", command.id(), command.guid(), e);
                finish(command, principal, CommandAction.POWER_STATE == command.action() ? CommandResult.Status.FAILED
                        : CommandResult.Status.INDETERMINATE, "internal error in the gateway", Map.of());
            }
        }

        @Override
        public void close() {
            executor.shutdown();
            if (client != null) {
                client.close();
            }
        }
    }

    @Override
    public void close() {
        runners.values().forEach(Runner::close);
        runners.clear();
    }
}
