package org.amtbus.platform.kafka;

import org.amtbus.schemas.topic.KafkaTopics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.amtbus.platform.testing.SharedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

class TopicsIT {

    @Test
    void createsTheTopicsOnceAndCompactsPresence() throws Exception {
        try (Admin admin = SharedKafka.clients().admin()) {
            Topics topics = new Topics(admin, new Topics.Settings(4, 2, (short) 1));

            // when run twice, as every start does
            topics.createAll();
            assertThatCode(topics::createAll).doesNotThrowAnyException();

            // then
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS).containsAll(Topics.CORE));
            Map<String, TopicDescription> described = admin.describeTopics(List.of(KafkaTopics.COMMANDS, KafkaTopics.ACL_CHANGES))
                    .allTopicNames().get(30, TimeUnit.SECONDS);
            assertThat(described.get(KafkaTopics.COMMANDS).partitions()).hasSize(4);
            assertThat(described.get(KafkaTopics.ACL_CHANGES).partitions()).hasSize(1);
            ConfigResource presence = new ConfigResource(ConfigResource.Type.TOPIC, KafkaTopics.PRESENCE);
            assertThat(admin.describeConfigs(List.of(presence)).all().get(30, TimeUnit.SECONDS)
                    .get(presence).get("cleanup.policy").value()).isEqualTo("compact");
        }
    }

    @Test
    void createsGatewayTopicsOnDemand() throws Exception {
        try (Admin admin = SharedKafka.clients().admin()) {
            Topics topics = new Topics(admin, Topics.Settings.embedded());

            String name = topics.ensureGatewayTopic("gw-7");
            topics.ensureGatewayTopic("gw-7");

            assertThat(name).isEqualTo("amtbus.gateway.gw-7");
            // the broker learns of a new topic from the controller a moment after creation succeeds
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(name));
        }
    }

    @Test
    void healthIsTrueForTheRunningNodeAndFalseForNothing() {
        try (Admin admin = SharedKafka.clients().admin();
             Admin nowhere = new KafkaClients(KafkaConfig.of("127.0.0.1:" + LoopbackPorts.free())).admin()) {
            assertThat(new KafkaHealth(admin).isHealthy()).isTrue();
            assertThat(new KafkaHealth(nowhere).isHealthy()).isFalse();
        }
    }
}
