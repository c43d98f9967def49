package org.amtbus.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.amtbus.platform.kafka.KafkaClients;
import org.amtbus.schemas.topic.KafkaTopics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code amtbus user} and {@code amtbus acl} against a running node, as an operator types them. */
class OperatorCommandsIT {

    @RegisterExtension
    static final OperatorNode ops = new OperatorNode();
    private static RunningNode node;

    @BeforeEach
    void node() {
        node = ops.node;
    }

    private static OperatorNode.Run amtbus(String stdin, String... args) {
        return ops.amtbus(stdin, args);
    }

    @Test
    void anOperatorAddsAUserWhoCanLogInButHasNoAccessUntilGranted() {
        // when
        OperatorNode.Run weak = amtbus("bob-password-1\n", "user", "add", "bob");
        OperatorNode.Run common = amtbus("password1234\n", "user", "add", "bob");
        OperatorNode.Run added = amtbus("a long and unusual passphrase\n", "user", "add", "bob");

        // then weak passwords are refused with a reason, a good one is accepted
        assertThat(weak.code()).isEqualTo(2);
        assertThat(weak.err().strip()).isEqualTo("amtbus: a password must not contain the username");
        assertThat(common.err()).contains("too common");
        assertThat(added.code()).isZero();
        assertThat(amtbus("", "user", "list").out()).contains("bob").contains("admin");

        // and bob can log in over MQTT
        Mqtt5BlockingClient bob = node.mqttClient(RunningNode.newClientId()).simpleAuth().username("bob")
                .password("a long and unusual passphrase".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
        bob.connect();
        bob.disconnect();
    }

    @Test
    void grantsAreStoredListedRevokedAndAudited() {
        // given
        amtbus("another quite long passphrase\n", "user", "add", "carol");
        try (Consumer<String, byte[]> consumer = node.kafka().consumer("it-" + UUID.randomUUID(), KafkaClients.OffsetReset.EARLIEST)) {
            consumer.subscribe(List.of(KafkaTopics.AUDIT));

            // when
            OperatorNode.Run granted = amtbus("", "acl", "grant", "carol", "amtbus/v1/{tenant}/devices/#", "1");
            OperatorNode.Run bad = amtbus("", "acl", "grant", "carol", "amtbus/#/devices", "3");
            OperatorNode.Run listed = amtbus("", "acl", "list", "carol");
            OperatorNode.Run revoked = amtbus("", "acl", "revoke", "carol", "amtbus/v1/{tenant}/devices/#");

            // then
            assertThat(granted.code()).isZero();
            assertThat(bad.code()).isEqualTo(2);
            assertThat(bad.err()).contains("'#' must be the whole last level");
            assertThat(listed.out()).contains("carol").contains("amtbus/v1/{tenant}/devices/#");
            assertThat(revoked.code()).isZero();
            assertThat(amtbus("", "acl", "list", "carol").out()).doesNotContain("devices");
            List<ConsumerRecord<String, byte[]>> audit = RunningNode.pollUntil(consumer, Duration.ofSeconds(30),
                    records -> records.stream().filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains("\"acl.changed\"")
                            && new String(r.value(), StandardCharsets.UTF_8).contains("carol")).count() >= 3);
            List<String> carol = audit.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .filter(v -> v.contains("carol") && v.contains("acl.changed")).toList();
            assertThat(carol).anyMatch(v -> v.contains("\"grant\"") && v.contains("\"success\""));
            assertThat(carol).anyMatch(v -> v.contains("\"denied\"") && v.contains("whole last level"));
            assertThat(carol).anyMatch(v -> v.contains("\"revoke\""));
            assertThat(audit).noneMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains("another quite long passphrase"));
        }
    }

    @Test
    void theLastSuperuserCannotBeDeletedAndADeletedUserCanNoLongerLogIn() {
        assertThat(amtbus("", "user", "delete", "admin").err()).contains("the last superuser cannot be deleted");

        amtbus("yet another long passphrase\n", "user", "add", "dave");
        assertThat(amtbus("", "user", "delete", "dave").code()).isZero();
        Mqtt5BlockingClient dave = node.mqttClient(RunningNode.newClientId()).simpleAuth().username("dave")
                .password("yet another long passphrase".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
        assertThatThrownBy(dave::connect).isInstanceOf(Mqtt5ConnAckException.class);
    }

    @Test
    void deletingAUserOrChangingItsPasswordEndsItsLiveSessions() {
        // given two connected users (no grants needed to hold a session)
        assertThat(amtbus("sunlit harbor seventeen boats\n", "user", "add", "erin").code()).isZero();
        assertThat(amtbus("quiet copper lantern at dusk\n", "user", "add", "frank").code()).isZero();
        Mqtt5BlockingClient erin = node.mqttClient(RunningNode.newClientId()).simpleAuth().username("erin")
                .password("sunlit harbor seventeen boats".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
        Mqtt5BlockingClient frank = node.mqttClient(RunningNode.newClientId()).simpleAuth().username("frank")
                .password("quiet copper lantern at dusk".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
        erin.connect();
        frank.connect();

        // when erin is deleted and frank's password is reset
        assertThat(amtbus("", "user", "delete", "erin").code()).isZero();
        assertThat(amtbus("seven brass keys on a hook\n", "user", "passwd", "frank").code()).isZero();

        // then both sessions are ended within a few seconds, and admin's are not
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> !erin.getState().isConnected() && !frank.getState().isConnected());
        Mqtt5BlockingClient admin = node.adminClient(RunningNode.newClientId());
        assertThat(admin.getState().isConnected()).isTrue();
        admin.disconnect();
    }

    @Test
    void aCommandWithoutARunningNodeSaysSoInOneLine() throws Exception {
        Path empty = Files.createTempDirectory("amtbus-none-");
        StringWriter err = new StringWriter();
        int code = Amtbus.execute(new PrintWriter(new StringWriter()), new PrintWriter(err, true),
                "acl", "list", "--data-dir", empty.toString());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString().strip()).startsWith("amtbus: cannot reach the node's PostgreSQL (is amtbus run running?)")
                .doesNotContain("\n");
    }

}
