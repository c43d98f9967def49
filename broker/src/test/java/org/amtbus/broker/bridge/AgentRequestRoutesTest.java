package org.amtbus.broker.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.agent.AgentFrame;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.KafkaTopics;
import org.junit.jupiter.api.Test;

class AgentRequestRoutesTest {

    private final AgentRequestRoutes routes = new AgentRequestRoutes();

    @Test
    void routesAFrameToItsDevicesRequestsTopic() {
        DeviceGuid guid = DeviceGuid.of(UUID.randomUUID());
        byte[] frame = Json.write(AgentFrame.data(new TenantId("acme"), guid, UUID.randomUUID(), 0,
                "POST /wsman".getBytes(StandardCharsets.US_ASCII)));

        assertThat(routes.route(KafkaTopics.AGENT_DOWN, frame)).contains(
                new EventBridge.Route("amtbus/v1/acme/devices/" + guid.value() + "/agent/wsman/requests", false));
    }

    @Test
    void givesNoRouteToWhatIsNotAFrameOrNotFromTheRequestTopic() {
        DeviceGuid guid = DeviceGuid.of(UUID.randomUUID());
        byte[] frame = Json.write(AgentFrame.close(new TenantId("acme"), guid, UUID.randomUUID(), 0));

        assertThat(routes.route(KafkaTopics.RESULTS, frame)).isEmpty();
        assertThat(routes.route(KafkaTopics.AGENT_DOWN, "{\"tenant\":\"+\"}".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(routes.route(KafkaTopics.AGENT_DOWN, new byte[] {1, 2})).isEmpty();
    }
}
