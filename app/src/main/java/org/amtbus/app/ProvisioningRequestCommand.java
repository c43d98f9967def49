package org.amtbus.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.amtbus.acl.account.AccountStore;
import org.amtbus.acl.bootstrap.AccountBootstrap;
import org.amtbus.acl.grant.GrantStore;
import org.amtbus.acl.level.AccessLoader;
import org.amtbus.platform.kafka.KafkaClients;
import org.amtbus.provisioning.RequestAuthorizer;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.ProvisioningRequest;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.BridgeHeaders;
import org.amtbus.schemas.topic.KafkaTopics;
import org.amtbus.schemas.topic.MqttTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A command that publishes one {@link ProvisioningRequest} (profile or deactivation) the way a request published
 * on {@code amtbus/v1/{tenant}/provisioning/requests} travels: Kafka {@code amtbus.provisioning}, keyed by tenant,
 * with the headers the broker would stamp, the principal being the account named by {@code --as} (default the
 * node's superuser). The worker re-authorizes that account as it would an MQTT publisher; the command checks it
 * first to fail early. The request is audited ({@code provisioning.requested}, the operator as actor).
 */
abstract class ProvisioningRequestCommand extends NodeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "GUID") String guid;
    @Option(names = "--as", paramLabel = "ACCOUNT", description = "the account the request is published as (default admin)")
    String as = AccountBootstrap.SUPERUSER.value();
    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "0",
            description = "follow the request's statuses until it succeeds or fails (0: do not wait)")
    int waitSeconds;

    /** The request's tenant, when no {@code --tenant} names it. */
    abstract TenantId defaultTenant(NodeConnection node, DeviceGuid device);

    /** The request to publish. */
    abstract ProvisioningRequest request(UUID id, TenantId tenant, DeviceGuid device, Instant time);

    /** The tenant option, or null. */
    abstract String tenantOption();

    @Override
    public Integer call() throws IOException {
        DeviceGuid device = DeviceCommand.parse(guid);
        try (NodeConnection node = connect()) {
            TenantId tenantId = tenantOption() != null ? DeviceCommand.tenant(tenantOption()) : defaultTenant(node, device);
            String refusal = new RequestAuthorizer(new AccessLoader(new AccountStore(node.database.dataSource()),
                    new GrantStore(node.database.dataSource()))).refusal(tenantId, Optional.of(as));
            if (refusal != null) {
                throw new StartupException(StartupException.CONFIGURATION, "--as: " + refusal);
            }
            ProvisioningRequest request;
            try {
                request = request(UUID.randomUUID(), tenantId, device, Clock.systemUTC().instant());
            } catch (IllegalArgumentException e) {
                throw new StartupException(StartupException.CONFIGURATION, OneLine.of(e));
            }
            String topic = new MqttTopic.ProvisioningRequestsTopic(tenantId).name();
            RecordHeaders headers = new RecordHeaders();
            headers.add(BridgeHeaders.PRINCIPAL, utf8(as));
            headers.add(BridgeHeaders.CLIENT_ID, utf8(node.actor.name()));
            headers.add(BridgeHeaders.TENANT, utf8(tenantId.value()));
            headers.add(BridgeHeaders.MQTT_TOPIC, utf8(topic));
            headers.add(BridgeHeaders.RECEIVED_AT, utf8(request.time().toString()));
            try (Consumer<String, byte[]> statuses = waitSeconds > 0 ? follow(node.kafka) : null) {
                node.sendAndWait(new ProducerRecord<>(KafkaTopics.PROVISIONING, null, tenantId.value(), Json.write(request), headers));
                node.audit.event("provisioning.requested").actor(node.actor).tenant(tenantId).target("device:" + device.value())
                        .detail("principal", as).detail("action", request.action().wireName())
                        .detail("profile", request.profile()).detail("requestId", request.id().toString()).emit();
                System.out.println("request " + request.id() + " to " + request.action().wireName() + " device " + device
                        + (request.profile() == null ? "" : " (profile " + request.profile() + ")") + " in tenant " + tenantId
                        + " published as " + as + "; statuses on amtbus/v1/" + tenantId + "/provisioning/status/" + device);
                return statuses == null ? 0 : await(statuses, request);
            }
        }
    }

    /** A consumer at the end of the status topic, positioned before the request is sent. */
    private static Consumer<String, byte[]> follow(KafkaClients kafka) {
        Consumer<String, byte[]> consumer = kafka.consumer("amtbus-cli-provision-" + UUID.randomUUID(), KafkaClients.OffsetReset.LATEST);
        List<TopicPartition> partitions = consumer.partitionsFor(KafkaTopics.PROVISIONING).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    /** Prints the request's statuses; 0 once it succeeded, 1 once it failed or the wait ran out. */
    private int await(Consumer<String, byte[]> statuses, ProvisioningRequest request) {
        long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : statuses.poll(Duration.ofMillis(500))) {
                JsonNode s;
                try {
                    s = Json.read(r.value(), JsonNode.class);
                } catch (IOException | RuntimeException e) {
                    continue;
                }
                if (!request.id().toString().equals(s.path("requestId").asText())) {
                    continue;
                }
                String state = s.path("state").asText();
                System.out.println(s.path("step").asText() + ": " + state
                        + (s.hasNonNull("reason") ? " (" + s.path("reason").asText() + ")" : ""));
                if (state.equals("succeeded")) {
                    return 0;
                }
                if (state.equals("failed")) {
                    return 1;
                }
            }
        }
        System.out.println("no outcome within " + waitSeconds + " s; the request may still be running");
        return 1;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
