package org.amtbus.broker.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.SchemaValidator;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.ProvisioningRequest;
import org.amtbus.schemas.model.ProvisioningStatus;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.KafkaTopics;
import org.junit.jupiter.api.Test;

/** Where records of amtbus.provisioning go: statuses to their device's status topic, requests nowhere. */
class EventRoutesTest {

    private final EventRoutes routes = new EventRoutes(new SchemaValidator());
    private final DeviceGuid guid = DeviceGuid.of(UUID.randomUUID());

    @Test
    void aProvisioningStatusGoesToItsDevicesStatusTopic() {
        ProvisioningStatus status = new ProvisioningStatus(UUID.randomUUID(), UUID.randomUUID(), new TenantId("acme"), guid,
                "activate", ProvisioningStatus.State.RUNNING, null, Instant.now());
        assertThat(routes.route(KafkaTopics.PROVISIONING, Json.write(status))).hasValueSatisfying(r -> {
            assertThat(r.mqttTopic()).isEqualTo("amtbus/v1/acme/provisioning/status/" + guid.value());
            assertThat(r.retained()).isFalse();
        });
    }

    @Test
    void aProvisioningRequestIsNotForSubscribersAndNotAnError() {
        ProvisioningRequest request = new ProvisioningRequest(UUID.randomUUID(), new TenantId("acme"), guid, "ccm-office",
                Instant.now());
        assertThat(routes.route(KafkaTopics.PROVISIONING, Json.write(request))).contains(EventBridge.Route.NONE);
    }

    @Test
    void garbageOnTheProvisioningTopicHasNoRoute() {
        assertThat(routes.route(KafkaTopics.PROVISIONING, "{\"schema\":\"x\"}".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }
}
