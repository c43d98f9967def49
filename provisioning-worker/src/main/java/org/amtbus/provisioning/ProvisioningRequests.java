package org.amtbus.provisioning;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.platform.kafka.ConsumerLoop;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.ProvisioningRequest;
import org.amtbus.schemas.model.ProvisioningStatus;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.BridgeHeaders;
import org.amtbus.schemas.topic.KafkaTopics;
import org.amtbus.schemas.topic.MqttTopic;
import org.amtbus.wsman.client.Transport;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code ProvisioningRequest}s from Kafka {@code amtbus.provisioning} (the broker bridges
 * {@code amtbus/v1/{tenant}/provisioning/requests} there, stamped with the publisher) and applies each on a
 * virtual thread, at most {@code maxConcurrent} at a time (the loop waits for a free slot). Statuses on the
 * same topic are skipped by their {@code schema}. A request whose tenant differs from the bridge's tenant
 * header, or that does not parse, is dropped with a log line (its device cannot be told). A request whose
 * publisher (the bridge's principal header) may not publish on the tenant's request topic now, or that carries
 * no principal, is refused ({@link RequestAuthorizer}): a {@code failed} status at step {@code authorize} and an
 * {@code acl.denied} audit event. A request for a device that is already managed goes over CIRA through the
 * gateway holding it ({@link ProvisioningWorker#reconfigure}) when a CIRA relay is given; otherwise, or when no
 * gateway holds it, through its agent. A request with no path to its device gets a {@code failed} status. A
 * {@code deactivate} request unprovisions a managed device over the same paths ({@link ProvisioningWorker#deactivate}).
 *
 * <p>Delivery: the offset is committed once a request is handed to its thread, so a crash mid-run loses
 * the request; its run row stays {@code running} without a heartbeat, and {@link StaleRuns} on a live worker
 * rolls it back and reports it {@code failed} / {@code rolled-back}.
 */
public final class ProvisioningRequests extends ConsumerLoop {

    private static final Logger LOG = LoggerFactory.getLogger(ProvisioningRequests.class);

    private final ProvisioningWorker worker;
    private final DevicePaths paths;
    private final StatusPublisher status;
    private final RequestAuthorizer authorizer;
    private final AuditLog audit;
    private final Semaphore slots;
    private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong invalid = new java.util.concurrent.atomic.AtomicLong();
    private final ExecutorService runs = Executors.newVirtualThreadPerTaskExecutor();

    /** @param paths the agents, and the gateways for devices already managed (reconfiguration, deactivation) */
    public ProvisioningRequests(Consumer<String, byte[]> consumer, ProvisioningWorker worker, DevicePaths paths,
                                StatusPublisher status, RequestAuthorizer authorizer, AuditLog audit, int maxConcurrent) {
        super(consumer, List.of(KafkaTopics.PROVISIONING), "provisioning-requests");
        this.paths = Objects.requireNonNull(paths);
        this.authorizer = Objects.requireNonNull(authorizer);
        this.audit = Objects.requireNonNull(audit);
        this.worker = Objects.requireNonNull(worker);
        this.status = Objects.requireNonNull(status);
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("provisioning.maxConcurrent must be at least 1");
        }
        this.slots = new Semaphore(maxConcurrent);
    }

    @Override
    protected void handle(ConsumerRecord<String, byte[]> record) {
        ProvisioningRequest request;
        try {
            if (!ProvisioningRequest.SCHEMA.equals(Json.read(record.value(), com.fasterxml.jackson.databind.JsonNode.class)
                    .path("schema").asText())) {
                return; // a status, ours or another worker's
            }
            request = Json.read(record.value(), ProvisioningRequest.class);
        } catch (IOException | RuntimeException e) {
            invalid.incrementAndGet();
            LOG.warn("event=provisioning.request-invalid partition={} offset={} reason={}", record.partition(), record.offset(),
                    e.getClass().getSimpleName());
            return;
        }
        Optional<String> tenant = header(record, BridgeHeaders.TENANT);
        if (tenant.isPresent() && !tenant.get().equals(request.tenant().value())) {
            invalid.incrementAndGet();
            LOG.warn("event=provisioning.request-refused request={} reason=tenant-mismatch topicTenant={} payloadTenant={}",
                    request.id(), tenant.get(), request.tenant().value());
            return;
        }
        Optional<String> principal = header(record, BridgeHeaders.PRINCIPAL).filter(p -> !p.isEmpty());
        AuditEvent.Actor actor = principal.filter(p -> p.matches("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")).map(AuditEvent.Actor::user)
                .orElse(AuditEvent.Actor.system("unidentified-publisher"));
        String refusal = authorizer.refusal(request.tenant(), principal);
        if (refusal != null) {
            refuse(request, actor, refusal);
            return;
        }
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a provisioning slot", e);
        }
        runs.execute(() -> {
            try {
                apply(request, actor);
            } finally {
                slots.release();
            }
        });
    }

    /** Requests refused because their publisher may not ask (or is unknown or absent). */
    public long refusedCount() {
        return refused.get();
    }

    /** Requests dropped because they did not parse or named another tenant than their topic. */
    public long invalidCount() {
        return invalid.get();
    }

    private void refuse(ProvisioningRequest request, AuditEvent.Actor actor, String reason) {
        refused.incrementAndGet();
        LOG.warn("event=provisioning.request-refused request={} guid={} tenant={} reason=\"{}\"", request.id(),
                request.guid().value(), request.tenant().value(), reason);
        audit.event("acl.denied").actor(actor).tenant(request.tenant())
                .target(new MqttTopic.ProvisioningRequestsTopic(request.tenant()).name())
                .outcome(AuditEvent.Outcome.DENIED).reason(reason).detail("protocol", "kafka")
                .detail("requestId", request.id().toString()).detail("guid", request.guid().value())
                .detail("action", request.action().wireName()).detail("profile", request.profile()).emit();
        status.terminal(request.id(), request.tenant(), request.guid(), "authorize", ProvisioningStatus.State.FAILED, reason);
    }

    private void apply(ProvisioningRequest request, AuditEvent.Actor actor) {
        try {
            if (request.action() == ProvisioningRequest.Action.DEACTIVATE) {
                worker.deactivate(request, paths.managed(request.tenant(), request.guid()), actor);
                return;
            }
            boolean managed = paths.hasCira() && worker.managed(request.tenant(), request.guid());
            if (managed) {
                Optional<Transport> overCira = paths.overCira(request.tenant(), request.guid());
                if (overCira.isPresent()) {
                    worker.reconfigure(request, overCira.get(), actor);
                    return;
                }
            }
            Optional<DeviceChannels.Channel> channel = paths.agent(request.tenant(), request.guid());
            if (channel.isEmpty()) {
                status.terminal(request.id(), request.tenant(), request.guid(), "channel", ProvisioningStatus.State.FAILED,
                        managed ? "device " + request.guid().value() + " is managed but connected neither over CIRA nor"
                                + " through an agent" : "no agent relay is connected for device " + request.guid().value());
                return;
            }
            worker.provision(request, channel.get().report(), channel.get().transport(), actor);
        } catch (RuntimeException e) {
            LOG.error("event=provisioning.request-failed request={} guid={} error={}", request.id(), request.guid().value(),
                    e.toString());
        }
    }

    private static Optional<String> header(ConsumerRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? Optional.empty() : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        super.close();
        runs.shutdown();
        try {
            if (!runs.awaitTermination(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS)) {
                runs.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            runs.shutdownNow();
        }
    }
}
