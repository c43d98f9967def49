package org.amtbus.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Topic levels enforced by the broker, with real MQTT clients over TLS and grants made by the operator commands. */
class AclEnforcementIT {

    @RegisterExtension
    static final OperatorNode ops = new OperatorNode();

    private static final String ACME = "amtbus/v1/acme/devices/3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    /** A user with the given grants, connected. */
    private static Mqtt5BlockingClient user(String name, String... grants) {
        String password = "pass phrase for " + UUID.randomUUID();
        assertThat(ops.amtbus(password + "\n", "user", "add", name).code()).isZero();
        for (int i = 0; i < grants.length; i += 2) {
            assertThat(ops.amtbus("", "acl", "grant", name, grants[i], grants[i + 1]).code()).isZero();
        }
        Mqtt5BlockingClient client = ops.node.mqttClient(RunningNode.newClientId()).simpleAuth().username(name)
                .password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
        client.connect();
        return client;
    }

    private static boolean canSubscribe(Mqtt5BlockingClient client, String filter) {
        try {
            client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
            return true;
        } catch (Mqtt5SubAckException e) {
            return false;
        }
    }

    /** True when a QoS 0 publish by {@code client} reached a superuser watching the topic. */
    private static boolean publishArrives(Mqtt5BlockingClient client, String topic) throws Exception {
        Mqtt5BlockingClient watcher = ops.node.adminClient(RunningNode.newClientId());
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
            watcher.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
            byte[] marker = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
            client.publishWith().topic(topic).qos(MqttQos.AT_MOST_ONCE).payload(marker).send();
            Optional<Mqtt5Publish> got = publishes.receive(3, TimeUnit.SECONDS);
            return got.isPresent() && new String(got.get().getPayloadAsBytes(), StandardCharsets.UTF_8)
                    .equals(new String(marker, StandardCharsets.UTF_8));
        } finally {
            watcher.disconnect();
        }
    }

    @Test
    void theLevelMatrixWithRealClients() throws Exception {
        Mqtt5BlockingClient none = user("lvl0");
        Mqtt5BlockingClient reader = user("lvl1", "amtbus/v1/acme/#", "1");
        Mqtt5BlockingClient writer = user("lvl2", "amtbus/v1/acme/#", "2");
        Mqtt5BlockingClient both = user("lvl3", "amtbus/v1/acme/#", "3");

        assertThat(canSubscribe(none, ACME + "/results")).isFalse();
        assertThat(canSubscribe(reader, ACME + "/results")).isTrue();
        assertThat(canSubscribe(reader, "amtbus/v1/acme/devices/+/results")).isTrue();
        assertThat(canSubscribe(writer, ACME + "/results")).isFalse();
        assertThat(canSubscribe(both, "amtbus/v1/acme/#")).isTrue();

        assertThat(publishArrives(none, ACME + "/commands")).isFalse();
        assertThat(publishArrives(reader, ACME + "/commands")).isFalse();
        assertThat(publishArrives(writer, ACME + "/commands")).isTrue();
        assertThat(publishArrives(both, ACME + "/commands")).isTrue();
    }

    @Test
    void aSubscriptionWiderThanTheGrantAndOtherTenantsAndSysAreRefused() {
        Mqtt5BlockingClient client = user("acme-ops", "amtbus/v1/acme/#", "3");
        assertThat(canSubscribe(client, "#")).isFalse();
        assertThat(canSubscribe(client, "amtbus/v1/#")).isFalse();
        assertThat(canSubscribe(client, "amtbus/v1/+/devices/#")).isFalse();
        assertThat(canSubscribe(client, "amtbus/v1/other/alerts")).isFalse();
        assertThat(canSubscribe(client, "$SYS/#")).isFalse();
        assertThat(canSubscribe(client, "amtbus/v1/acme/alerts")).isTrue();
    }

    @Test
    void aGrantTakesEffectWithinASecondAndARevocationDisconnectsALiveSubscriber() {
        // given a connected user without access
        Mqtt5BlockingClient client = user("late");
        assertThat(canSubscribe(client, "amtbus/v1/acme/alerts")).isFalse();

        // when granted, then served within a second
        assertThat(ops.amtbus("", "acl", "grant", "late", "amtbus/v1/acme/#", "1").code()).isZero();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> canSubscribe(client, "amtbus/v1/acme/alerts"));

        // when revoked, then the live subscriber is disconnected
        assertThat(ops.amtbus("", "acl", "revoke", "late", "amtbus/v1/acme/#").code()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> !client.getState().isConnected());
    }

    @Test
    void injectionStringsAreRefusedAsNamesAndPatterns() {
        for (String name : new String[] {"x'--", "a/b", "+", "#", "bob; DROP TABLE accounts"}) {
            assertThat(ops.amtbus("some long passphrase here\n", "user", "add", name).code()).as(name).isEqualTo(2);
        }
        assertThat(ops.amtbus("", "acl", "grant", "admin", "a/#/b", "3").code()).isEqualTo(2);
        assertThat(ops.amtbus("", "acl", "grant", "admin", "a/b'; --", "3").code()).as("literal characters are fine").isZero();
        assertThat(ops.amtbus("", "user", "list").out()).contains("admin");
    }

    @Test
    void aTokenFromAmtbusTokenWorksAsTheMqttPasswordAndForgedOrBorrowedOnesDoNot() {
        // given
        String password = "orchard ladder under clouds";
        assertThat(ops.amtbus(password + "\n", "user", "add", "tokenuser").code()).isZero();

        // when
        OperatorNode.Run issued = ops.amtbus(password + "\n", "token", "tokenuser", "--ttl", "5m");
        OperatorNode.Run refused = ops.amtbus("not the password\n", "token", "tokenuser");

        // then
        assertThat(issued.code()).isZero();
        assertThat(refused.code()).isEqualTo(1);
        String token = issued.out().strip();
        assertThat(token).startsWith("eyJ").doesNotContain(password);
        Mqtt5BlockingClient withToken = ops.node.mqttClient(RunningNode.newClientId()).simpleAuth().username("tokenuser")
                .password(token.getBytes(StandardCharsets.US_ASCII)).applySimpleAuth().buildBlocking();
        withToken.connect();
        withToken.disconnect();

        char last = token.charAt(token.length() - 2);
        String tampered = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);
        for (String[] attempt : new String[][] {{"tokenuser", tampered}, {"admin", token}}) {
            Mqtt5BlockingClient client = ops.node.mqttClient(RunningNode.newClientId()).simpleAuth().username(attempt[0])
                    .password(attempt[1].getBytes(StandardCharsets.US_ASCII)).applySimpleAuth().buildBlocking();
            assertThatThrownBy(client::connect).as(attempt[0]).isInstanceOf(
                    com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException.class);
        }
    }

    @Test
    void denialsAreCountedInTheMetrics() {
        Mqtt5BlockingClient client = user("counted");
        double before = denials();
        assertThat(canSubscribe(client, "amtbus/v1/acme/alerts")).isFalse();
        assertThat(denials()).isEqualTo(before + 1);
        assertThatThrownBy(() -> client.subscribeWith().topicFilter("#").send()).isInstanceOf(Mqtt5SubAckException.class);
    }

    private static double denials() {
        return ops.node.scrapeMetrics().lines().filter(l -> l.startsWith("amtbus_broker_acl_denials_total{") && l.contains("subscribe"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void aTenantGrantTemplateResolvesToTheUsersTenant() {
        String password = "pass phrase for " + UUID.randomUUID();
        assertThat(ops.amtbus(password + "\n", "user", "add", "tenant-user", "--tenant", "acme").code()).isZero();
        assertThat(ops.amtbus("", "acl", "grant", "tenant-user", "amtbus/v1/{tenant}/devices/#", "1").code()).isZero();
        Mqtt5BlockingClient client = ops.node.mqttClient(RunningNode.newClientId()).simpleAuth().username("tenant-user")
                .password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
        client.connect();
        try {
            assertThat(canSubscribe(client, "amtbus/v1/acme/devices/#")).isTrue();
            assertThat(canSubscribe(client, "amtbus/v1/other/devices/#")).isFalse();
        } finally {
            client.disconnect();
        }
    }
}
