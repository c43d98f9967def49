package org.amtbus.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.amtbus.acl.bootstrap.AccountBootstrap;
import org.amtbus.platform.kafka.KafkaClients;
import org.amtbus.platform.secret.SealedFileSecretStore;
import org.amtbus.platform.secret.Secret;
import org.amtbus.schemas.topic.KafkaTopics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** A restart keeps the CA, the secrets and the data; no secret is stored in plaintext anywhere. */
class RestartIT {

    @Test
    void aRestartKeepsTheCaTheSecretsTheAccountsAndTheMessages() throws Exception {
        // given a node that ran once and accepted a command
        Path dataDir = Files.createTempDirectory("amtbus-restart-");
        byte[] caBefore;
        String adminPassword;
        List<Secret> serviceSecretsBefore = new ArrayList<>();
        String guid = UUID.randomUUID().toString();
        try (RunningNode first = RunningNode.start(dataDir)) {
            caBefore = Files.readAllBytes(first.caFile());
            adminPassword = first.adminPassword();
            Mqtt5BlockingClient client = first.adminClient(RunningNode.newClientId());
            client.publishWith().topic("amtbus/v1/acme/devices/" + guid + "/commands").qos(MqttQos.AT_LEAST_ONCE)
                    .payload("{}".getBytes(StandardCharsets.UTF_8)).send();
            client.disconnect();
            assertThat(first.node.endpoints().superuserCreated()).isTrue();
        }
        try (SealedFileSecretStore store = SealedFileSecretStore.open(dataDir.resolve("secrets"))) {
            for (var name : AccountBootstrap.SERVICE_ACCOUNTS) {
                serviceSecretsBefore.add(store.get(AccountBootstrap.secretName(name)).orElseThrow());
            }
        }

        // when it starts again on the same directory
        try (RunningNode second = RunningNode.start(dataDir)) {
            // then the CA is the same, the superuser was not recreated and its password still works
            assertThat(Files.readAllBytes(second.caFile())).isEqualTo(caBefore);
            assertThat(second.node.endpoints().superuserCreated()).isFalse();
            assertThat(second.adminPassword()).isEqualTo(adminPassword);
            second.adminClient(RunningNode.newClientId()).disconnect();

            // and the command accepted before the restart is still in Kafka
            try (Consumer<String, byte[]> consumer = second.kafka().consumer("it-" + UUID.randomUUID(), KafkaClients.OffsetReset.EARLIEST)) {
                consumer.subscribe(List.of(KafkaTopics.COMMANDS));
                List<ConsumerRecord<String, byte[]>> seen = RunningNode.pollUntil(consumer, Duration.ofSeconds(30),
                        records -> records.stream().anyMatch(r -> guid.equals(r.key())));
                assertThat(seen).anyMatch(r -> guid.equals(r.key()));
            }
        }

        // and the service accounts' secrets are unchanged
        try (SealedFileSecretStore store = SealedFileSecretStore.open(dataDir.resolve("secrets"))) {
            for (int i = 0; i < AccountBootstrap.SERVICE_ACCOUNTS.size(); i++) {
                Secret after = store.get(AccountBootstrap.secretName(AccountBootstrap.SERVICE_ACCOUNTS.get(i))).orElseThrow();
                assertThat(after.matches(serviceSecretsBefore.get(i))).isTrue();
            }
        }

        // and no file of the node holds any of these secrets in plaintext, except the superuser's
        // one-time password file itself
        List<byte[]> secrets = new ArrayList<>();
        secrets.add(adminPassword.getBytes(StandardCharsets.UTF_8));
        serviceSecretsBefore.forEach(s -> secrets.add(s.revealBytes()));
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (file.getFileName().toString().equals(AccountBootstrap.PASSWORD_FILE)) {
                    continue;
                }
                byte[] content = readQuietly(file);
                for (byte[] secret : secrets) {
                    assertThat(indexOf(content, secret)).as("a secret in plaintext in " + file).isEqualTo(-1);
                }
            }
        }
    }

    private static byte[] readQuietly(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return new byte[0]; // e.g. a socket or lock file that vanished
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
