package org.amtbus.schemas.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.amtbus.schemas.SchemaType;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.MqttTopic.AlertsTopic;
import org.amtbus.schemas.topic.MqttTopic.DeviceTopic;
import org.amtbus.schemas.topic.MqttTopic.ProvisioningRequestsTopic;
import org.amtbus.schemas.topic.MqttTopic.ProvisioningStatusTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class MqttTopicTest {
    private static final String GUID = "8c3a0e5e-2b1f-4d6a-9c4e-1f2a3b4c5d6e";
    private static final TenantId ACME = new TenantId("acme");

    @ParameterizedTest
    @EnumSource(DeviceTopic.Kind.class)
    void parsesEachDeviceTopicKind(DeviceTopic.Kind kind) {
        // when
        MqttTopic topic = MqttTopic.parse("amtbus/v1/acme/devices/" + GUID + "/" + kind.level());

        // then
        assertThat(topic).isEqualTo(new DeviceTopic(ACME, new DeviceGuid(GUID), kind));
    }

    @Test
    void parsesProvisioningAndAlertTopicsWithTheirPayloadTypes() {
        assertThat(MqttTopic.parse("amtbus/v1/acme/provisioning/requests"))
                .isEqualTo(new ProvisioningRequestsTopic(ACME))
                .extracting(MqttTopic::payloadType).isEqualTo(SchemaType.PROVISIONING_REQUEST);
        assertThat(MqttTopic.parse("amtbus/v1/acme/provisioning/status/" + GUID))
                .isEqualTo(new ProvisioningStatusTopic(ACME, new DeviceGuid(GUID)))
                .extracting(MqttTopic::payloadType).isEqualTo(SchemaType.PROVISIONING_STATUS);
        assertThat(MqttTopic.parse("amtbus/v1/acme/alerts"))
                .isEqualTo(new AlertsTopic(ACME))
                .extracting(MqttTopic::payloadType).isEqualTo(SchemaType.ALERT);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "amtbus/v1/acme/devices/" + GUID + "/commands",
        "amtbus/v1/t-1/devices/" + GUID + "/results",
        "amtbus/v1/acme/devices/" + GUID + "/presence",
        "amtbus/v1/acme/devices/" + GUID + "/events",
        "amtbus/v1/acme/provisioning/requests",
        "amtbus/v1/acme/provisioning/status/" + GUID,
        "amtbus/v1/0/alerts"})
    void buildsTheNameItParsed(String name) {
        assertThat(MqttTopic.parse(name).name()).isEqualTo(name);
    }

    @Test
    void commandTopicCarriesCommands() {
        var topic = new DeviceTopic(ACME, new DeviceGuid(GUID), DeviceTopic.Kind.COMMANDS);
        assertThat(topic.name()).isEqualTo("amtbus/v1/acme/devices/" + GUID + "/commands");
        assertThat(topic.payloadType()).isEqualTo(SchemaType.COMMAND);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "amtbus/v1/+/devices/" + GUID + "/commands|wildcard",
        "amtbus/v1/acme/devices/" + GUID + "/#|wildcard",
        "amtbus/v1/acme/#|wildcard",
        "/amtbus/v1/acme/alerts|starts or ends",
        "amtbus/v1/acme/alerts/|starts or ends",
        "amtbus/v1//alerts|empty level",
        "amtbus//v1/acme/alerts|empty level",
        "amtbus/v2/acme/alerts|unknown topic version",
        "amtbus/V1/acme/alerts|unknown topic version",
        "mqtt/v1/acme/alerts|does not start",
        "$SYS/broker/uptime|does not start",
        "amtbus/v1/ACME/alerts|tenant",
        "amtbus/v1/-acme/alerts|tenant",
        "amtbus/v1/acme/devices/" + GUID + "|shape",
        "amtbus/v1/acme/devices/" + GUID + "/commands/extra|shape",
        "amtbus/v1/acme/devices/8C3A0E5E-2B1F-4D6A-9C4E-1F2A3B4C5D6E/commands|GUID",
        "amtbus/v1/acme/devices/not-a-guid/commands|GUID",
        "amtbus/v1/acme/devices/" + GUID + "/command|kind",
        "amtbus/v1/acme/provisioning/status|shape",
        "amtbus/v1/acme/provisioning/jobs|unknown provisioning",
        "amtbus/v1/acme/alerts/x|shape",
        "amtbus/v1/acme/secrets|unknown topic family",
        "amtbus/v1/acme|too short",
        "amtbus|unknown topic version"})
    void refusesTopicsOutsideTheV1Grammar(String topic, String reason) {
        assertThatThrownBy(() -> MqttTopic.parse(topic))
                .isInstanceOf(TopicException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void refusesNulEmptyNullAndOverlongTopics() {
        assertThatThrownBy(() -> MqttTopic.parse("amtbus/v1/acme\0/alerts")).hasMessageContaining("NUL");
        assertThatThrownBy(() -> MqttTopic.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> MqttTopic.parse(null)).isInstanceOf(TopicException.class);
        String overlong = "amtbus/v1/acme/devices/" + GUID + "/commands" + "x".repeat(300);
        assertThatThrownBy(() -> MqttTopic.parse(overlong)).hasMessageContaining("longer than 256");
    }

    @Test
    void refusalsDoNotEchoTheTopic() {
        assertThatThrownBy(() -> MqttTopic.parse("amtbus/v1/evil\ninjected/alerts"))
                .isInstanceOf(TopicException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("injected"));
    }
}
