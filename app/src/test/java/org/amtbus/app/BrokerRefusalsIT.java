package org.amtbus.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.amtbus.broker.BrokerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.amtbus.platform.tls.TlsContexts;

/** Bad input at the MQTT door is refused, and the broker keeps serving everyone else. */
class BrokerRefusalsIT {

    @RegisterExtension
    static final RunningNode node = RunningNode.perClass();

    @Test
    void refusesAWrongPassword() {
        // given
        Mqtt5BlockingClient intruder = node.mqttClient(RunningNode.newClientId())
                .simpleAuth().username("admin").password("not-the-password".getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .buildBlocking();

        double before = wrongPasswordCount();

        // when / then
        assertThatThrownBy(intruder::connect)
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(e.getMqttMessage().getReasonCode())
                        .isIn(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
        // and the refusal is counted
        assertThat(wrongPasswordCount()).isEqualTo(before + 1);
        assertBrokerStillServes();
    }

    @Test
    void repeatedWrongPasswordsLockTheAccountAndTheLockoutIsAudited() throws Exception {
        // given an account of its own (locking admin would disturb the other tests)
        try (org.amtbus.platform.db.Database db = org.amtbus.platform.db.Database.connectToRunningEmbedded(node.dataDir,
                Integer.parseInt(node.node.endpoints().jdbcUrl().replaceAll(".*:(\\d+)/.*", "$1")))) {
            new org.amtbus.acl.account.AccountStore(db.dataSource()).create(new org.amtbus.acl.account.Account(
                    new org.amtbus.acl.account.AccountName("victim"), org.amtbus.acl.account.Account.Kind.USER, false,
                    java.time.Instant.now()), new org.amtbus.acl.password.PasswordHasher().hash("the real long password".toCharArray()));
        }
        try (var consumer = node.kafka().consumer("it-" + java.util.UUID.randomUUID(),
                org.amtbus.platform.kafka.KafkaClients.OffsetReset.EARLIEST)) {
            consumer.subscribe(java.util.List.of(org.amtbus.schemas.topic.KafkaTopics.AUDIT));

            // when five wrong passwords are tried
            for (int i = 0; i < 5; i++) {
                Mqtt5BlockingClient guess = node.mqttClient(RunningNode.newClientId()).simpleAuth().username("victim")
                        .password(("guess " + i).getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
                assertThatThrownBy(guess::connect).isInstanceOf(Mqtt5ConnAckException.class);
            }

            // then the right password is refused too, with the same answer
            Mqtt5BlockingClient owner = node.mqttClient(RunningNode.newClientId()).simpleAuth().username("victim")
                    .password("the real long password".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
            assertThatThrownBy(owner::connect).isInstanceOfSatisfying(Mqtt5ConnAckException.class,
                    e -> assertThat(e.getMqttMessage().getReasonCode()).isIn(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD,
                            Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
            // and the lockout is an audit event
            var seen = RunningNode.pollUntil(consumer, Duration.ofSeconds(30), records -> records.stream()
                    .anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains("auth.lockout")));
            assertThat(seen).anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains("auth.lockout")
                    && new String(r.value(), StandardCharsets.UTF_8).contains("victim"));
        }
        assertBrokerStillServes();
    }

    @Test
    void failuresFromOneAddressLockItForEveryAccountAndTheLockoutIsAuditedWithTheAddress() throws Exception {
        // given a source address of its own (127.0.0.1 serves the other tests)
        String source = "127.0.0.7";
        try (var consumer = node.kafka().consumer("it-" + java.util.UUID.randomUUID(),
                org.amtbus.platform.kafka.KafkaClients.OffsetReset.EARLIEST)) {
            consumer.subscribe(java.util.List.of(org.amtbus.schemas.topic.KafkaTopics.AUDIT));

            // when it fails as many logins as the address lockout allows, each for another name
            for (int i = 0; i < org.amtbus.acl.login.PasswordAuthenticator.DEFAULT_ADDRESS_THRESHOLD; i++) {
                Mqtt5BlockingClient guess = node.mqttClientFrom(RunningNode.newClientId(), source).simpleAuth()
                        .username("sprayed-" + i).password("guess".getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                        .buildBlocking();
                assertThatThrownBy(guess::connect).isInstanceOf(Mqtt5ConnAckException.class);
            }

            // then even the superuser's right password is refused from there, with the wrong-password answer
            Mqtt5BlockingClient admin = node.mqttClientFrom(RunningNode.newClientId(), source).simpleAuth().username("admin")
                    .password(node.adminPassword().getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
            assertThatThrownBy(admin::connect).isInstanceOfSatisfying(Mqtt5ConnAckException.class,
                    e -> assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD));
            // and the address lockout and the refusal are audited with the address
            java.util.function.Predicate<String> lockout = json -> json.contains("\"auth.lockout\"")
                    && json.contains("\"scope\":\"address\"") && json.contains(source);
            java.util.function.Predicate<String> refusal = json -> json.contains("\"auth.login\"")
                    && json.contains("source locked out") && json.contains(source) && json.contains("admin");
            var seen = RunningNode.pollUntil(consumer, Duration.ofSeconds(30), records -> records.stream()
                    .map(r -> new String(r.value(), StandardCharsets.UTF_8)).anyMatch(refusal));
            assertThat(seen).map(r -> new String(r.value(), StandardCharsets.UTF_8)).anyMatch(lockout).anyMatch(refusal);
        }
        // while from another address the superuser still gets in
        assertBrokerStillServes();
    }

    @Test
    void refusesAClientWithoutCredentials() {
        Mqtt5BlockingClient anonymous = node.mqttClient(RunningNode.newClientId()).buildBlocking();
        assertThatThrownBy(anonymous::connect).isInstanceOf(Mqtt5ConnAckException.class);
        assertBrokerStillServes();
    }

    @Test
    void refusesAnAccountNameThatCouldWidenATopicPattern() {
        Mqtt5BlockingClient injector = node.mqttClient(RunningNode.newClientId())
                .simpleAuth().username("admin/#").password(node.adminPassword().getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .buildBlocking();
        assertThatThrownBy(injector::connect).isInstanceOf(Mqtt5ConnAckException.class);
        assertBrokerStillServes();
    }

    @Test
    void refusesMqttWithoutTls() throws Exception {
        // given a plain TCP client speaking MQTT CONNECT in the clear
        try (Socket socket = new Socket("127.0.0.1", node.mqttPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {0x10, 0x10, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x3c,
                    0x00, 0x04, 't', 'e', 's', 't'});
            out.flush();

            // then the server never answers with a CONNACK (0x20): it closes the connection
            InputStream in = socket.getInputStream();
            List<Integer> bytes = new ArrayList<>();
            int b;
            while ((b = in.read()) != -1 && bytes.size() < 64) {
                bytes.add(b);
            }
            assertThat(bytes.isEmpty() ? -1 : bytes.get(0)).isNotEqualTo(0x20);
        }
        assertBrokerStillServes();
    }

    @Test
    void refusesTls12Clients() throws Exception {
        // given a client that offers only TLS 1.2 (which the JDK client supports)
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, TlsContexts.trustManagerFactory(node.caCertificate()).getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", node.mqttPort())) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            assertThat(socket.getEnabledProtocols()).containsExactly("TLSv1.2");

            // when / then
            assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class);
        }
        // and the same client offering TLS 1.3 gets in: the refusal was about the version
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", node.mqttPort())) {
            socket.setEnabledProtocols(new String[] {"TLSv1.3"});
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
        assertBrokerStillServes();
    }

    @Test
    void refusesTls11ClientsWithAProtocolVersionAlert() throws Exception {
        // given openssl as a TLS 1.1 client (security level 0 so that the client itself is willing)
        ProcessBuilder pb = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + node.mqttPort(),
                "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0", "-CAfile", node.caFile().toString())
                .redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().close();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        // then the server answers with a protocol_version alert (70) and no session is established
        assertThat(p.exitValue()).isNotZero();
        assertThat(output).contains("alert protocol version").contains("Cipher is (NONE)").doesNotContain("BEGIN CERTIFICATE");
        assertBrokerStillServes();
    }

    @Test
    void dropsAPublisherWhosePayloadIsOverTheLimitAndKeepsServing() {
        // given
        Mqtt5BlockingClient flooder = node.adminClient(RunningNode.newClientId());
        byte[] huge = new byte[BrokerConfig.DEFAULT_MAX_MESSAGE_BYTES + 1024];

        // when
        try {
            flooder.publishWith().topic("amtbus/v1/acme/alerts").qos(MqttQos.AT_MOST_ONCE).payload(huge).send();
        } catch (RuntimeException ignored) {
            // the client may notice the close while sending or only afterwards
        }

        // then the connection is closed by the broker
        await().atMost(Duration.ofSeconds(20)).until(() -> !flooder.getState().isConnected());
        assertBrokerStillServes();
    }

    @Test
    void closesATlsConnectionThatSendsGarbage() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, TlsContexts.trustManagerFactory(node.caCertificate()).getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", node.mqttPort())) {
            socket.setSoTimeout(20_000);
            socket.startHandshake();
            byte[] garbage = new byte[4096];
            new java.util.Random(42).nextBytes(garbage);
            garbage[0] = (byte) 0xF0; // reserved packet type
            socket.getOutputStream().write(garbage);
            socket.getOutputStream().flush();
            assertThat(readUntilClosed(socket.getInputStream())).isTrue();
        }
        assertBrokerStillServes();
    }

    private static double wrongPasswordCount() {
        return node.scrapeMetrics().lines()
                .filter(l -> l.startsWith("amtbus_broker_logins_total{") && l.contains("outcome=\"failure\"")
                        && l.contains("reason=\"wrong_password\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static boolean readUntilClosed(InputStream in) {
        try {
            while (in.read() != -1) {
                // drain
            }
            return true;
        } catch (java.io.IOException e) {
            return true; // reset or TLS close: closed either way
        }
    }

    /** A fresh subscriber and publisher still exchange a message. */
    private static void assertBrokerStillServes() {
        Mqtt5BlockingClient subscriber = node.adminClient(RunningNode.newClientId());
        Mqtt5BlockingClient publisher = node.adminClient(RunningNode.newClientId());
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter("it/health").qos(MqttQos.AT_LEAST_ONCE).send();
            publisher.publishWith().topic("it/health").qos(MqttQos.AT_LEAST_ONCE).payload("ok".getBytes(StandardCharsets.UTF_8)).send();
            Optional<Mqtt5Publish> received = publishes.receive(20, TimeUnit.SECONDS);
            assertThat(received).isPresent();
            assertThat(received.get().getPayloadAsBytes()).isEqualTo("ok".getBytes(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            subscriber.disconnect();
            publisher.disconnect();
        }
    }
}
