package org.amtbus.schemas.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;
import org.junit.jupiter.api.Test;

class AgentTopicTest {

    private static final TenantId TENANT = new TenantId("acme");
    private static final DeviceGuid GUID = new DeviceGuid("4c4c4544-004b-4210-8033-b6c04f504633");

    @Test
    void namesAndParsesEachKind() {
        for (AgentTopic.Kind kind : AgentTopic.Kind.values()) {
            AgentTopic topic = new AgentTopic(TENANT, GUID, kind);
            assertThat(AgentTopic.parse(topic.name())).contains(topic);
        }
        assertThat(new AgentTopic(TENANT, GUID, AgentTopic.Kind.REQUESTS).name())
                .isEqualTo("amtbus/v1/acme/devices/4c4c4544-004b-4210-8033-b6c04f504633/agent/wsman/requests");
    }

    @Test
    void refusesWildcardsOtherLevelsAndBadIds() {
        assertThat(AgentTopic.parse("amtbus/v1/acme/devices/+/agent/report")).isEmpty();
        assertThat(AgentTopic.parse("amtbus/v1/+/devices/" + GUID.value() + "/agent/report")).isEmpty();
        assertThat(AgentTopic.parse("amtbus/v1/acme/devices/" + GUID.value() + "/agent/#")).isEmpty();
        assertThat(AgentTopic.parse("amtbus/v1/acme/devices/" + GUID.value() + "/commands")).isEmpty();
        assertThat(AgentTopic.parse("amtbus/v1/ACME/devices/" + GUID.value() + "/agent/report")).isEmpty();
        assertThat(AgentTopic.parse("amtbus/v1/acme/devices/" + GUID.value().toUpperCase() + "/agent/report")).isEmpty();
        assertThat(AgentTopic.parse(null)).isEmpty();
    }

    @Test
    void agentNamesNameOneDevice() {
        assertThat(AgentName.of(GUID)).isEqualTo("agent-" + GUID.value());
        assertThat(AgentName.guidOf(AgentName.of(GUID))).contains(GUID);
        assertThat(AgentName.guidOf("agent-+")).isEmpty();
        assertThat(AgentName.guidOf("admin")).isEmpty();
        assertThat(AgentName.claims("agent-anything")).isTrue();
    }

    @Test
    void framesRoundTripAndKeepTheirLimits() throws Exception {
        AgentFrame frame = AgentFrame.data(TENANT, GUID, UUID.randomUUID(), 3, new byte[] {1, 2, 3});
        AgentFrame back = Json.read(Json.write(frame), AgentFrame.class);
        assertThat(back.data()).containsExactly(1, 2, 3);
        assertThat(back.seq()).isEqualTo(3);
        assertThat(Json.read(Json.write(AgentFrame.close(TENANT, GUID, frame.connection(), 4)), AgentFrame.class).kind())
                .isEqualTo(AgentFrame.Kind.CLOSE);
        assertThatThrownBy(() -> AgentFrame.data(TENANT, GUID, UUID.randomUUID(), 0, new byte[AgentFrame.MAX_DATA + 1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AgentFrame.data(TENANT, GUID, UUID.randomUUID(), 0, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
