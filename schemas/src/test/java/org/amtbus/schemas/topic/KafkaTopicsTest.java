package org.amtbus.schemas.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Pattern;
import org.amtbus.schemas.model.GatewayId;
import org.junit.jupiter.api.Test;

class KafkaTopicsTest {
    /** Kafka's own rule for topic names. */
    private static final Pattern LEGAL_KAFKA_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    @Test
    void namesTheGatewayTopicAfterTheGateway() {
        assertThat(KafkaTopics.gateway(new GatewayId("gw-1"))).isEqualTo("amtbus.gateway.gw-1");
    }

    @Test
    void everyNameIsALegalKafkaTopicEvenForTheLongestGatewayId() {
        var names = List.of(KafkaTopics.COMMANDS, KafkaTopics.RESULTS, KafkaTopics.PRESENCE, KafkaTopics.EVENTS,
                KafkaTopics.PROVISIONING, KafkaTopics.AUDIT, KafkaTopics.ALERTS, KafkaTopics.ACL_CHANGES,
                KafkaTopics.gateway(new GatewayId("g".repeat(63))));
        assertThat(names).allMatch(n -> LEGAL_KAFKA_NAME.matcher(n).matches());
    }

    @Test
    void gatewayIdsThatWouldEscapeTheTopicNameCannotExist() {
        assertThatThrownBy(() -> new GatewayId("gw.1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GatewayId("GW1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GatewayId("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GatewayId("g".repeat(64))).isInstanceOf(IllegalArgumentException.class);
    }
}
