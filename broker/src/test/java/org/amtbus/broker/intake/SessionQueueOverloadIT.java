package org.amtbus.broker.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.amtbus.broker.BrokerConfig;
import org.amtbus.broker.connect.GatedBroker;
import org.amtbus.platform.db.Database;
import org.amtbus.platform.testing.SharedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many QoS 1 publishers flooding a real broker (TLS 1.3, real logins) whose Moquette session queues are as small
 * as allowed ({@code broker.sessionQueueSize} = {@value #QUEUE}): without the intake gates Moquette drops
 * PUBLISH commands to its full queues and the publishers wait for PUBACKs that never come (the bench's "stalled"
 * runs); with them, every publish is acknowledged and delivered to both subscribers, and Moquette drops nothing.
 */
class SessionQueueOverloadIT {

    private static final int QUEUE = BrokerConfig.MIN_SESSION_QUEUE_SIZE;
    private static final int PUBLISHERS = 20;
    private static final int PER_PUBLISHER = 500;
    private static final int SUBSCRIBERS = 2;
    private static final String PASSWORD = "the load account's long password";

    private static Database database;
    private static GatedBroker broker;

    @BeforeAll
    static void start() {
        database = SharedPostgres.newDatabase().migrated();
        broker = new GatedBroker(database, 5, Optional.empty(), QUEUE);
        broker.addAccount("load", PASSWORD, true);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void everyQos1PublishIsAcknowledgedAndDeliveredWhenTheSessionQueuesAreFull() throws Exception {
        long overrunsBefore = broker.broker().sessionQueueOverruns();
        List<Mqtt5AsyncClient> clients = new ArrayList<>();
        List<Set<String>> received = new ArrayList<>();
        try {
            for (int s = 0; s < SUBSCRIBERS; s++) {
                Set<String> got = ConcurrentHashMap.newKeySet();
                received.add(got);
                Mqtt5AsyncClient sub = connect("sub-" + s);
                clients.add(sub);
                sub.subscribeWith().topicFilter("load/#").qos(MqttQos.AT_LEAST_ONCE)
                        .callback(p -> got.add(p.getTopic() + "#" + new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)))
                        .send().get(10, TimeUnit.SECONDS);
            }
            List<Mqtt5AsyncClient> publishers = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                Mqtt5AsyncClient pub = connect("pub-" + p);
                clients.add(pub);
                publishers.add(pub);
            }

            // everything at once: each client has hundreds of QoS 1 publishes in flight
            List<CompletableFuture<Mqtt5PublishResult>> acks = new ArrayList<>();
            for (int i = 0; i < PER_PUBLISHER; i++) {
                for (int p = 0; p < PUBLISHERS; p++) {
                    acks.add(publishers.get(p).publishWith().topic("load/" + p).qos(MqttQos.AT_LEAST_ONCE)
                            .payload(String.valueOf(i).getBytes(StandardCharsets.UTF_8)).send());
                }
            }

            await("every PUBACK").atMost(Duration.ofSeconds(60))
                    .until(() -> acks.stream().filter(CompletableFuture::isDone).count() == acks.size());
            assertThat(acks).allSatisfy(a -> assertThat(a).isCompletedWithValueMatching(r -> r.getError().isEmpty(),
                    "acknowledged without error"));
            await("every delivery").atMost(Duration.ofSeconds(60))
                    .until(() -> received.stream().allMatch(r -> r.size() == PUBLISHERS * PER_PUBLISHER));
            assertThat(broker.broker().sessionQueueOverruns() - overrunsBefore)
                    .as("session commands Moquette dropped").isZero();
            assertThat(broker.broker().intakeCounters().pausedCount()).as("reads paused for full queues").isPositive();
        } finally {
            for (Mqtt5AsyncClient c : clients) {
                c.disconnect();
            }
        }
    }

    private static Mqtt5AsyncClient connect(String id) throws Exception {
        Mqtt5AsyncClient client = broker.client(id, "127.0.0.1").buildAsync();
        client.connectWith().simpleAuth().username("load").password(PASSWORD.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .send().get(30, TimeUnit.SECONDS);
        return client;
    }
}
