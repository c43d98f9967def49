package org.amtbus.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.amtbus.platform.kafka.KafkaClients;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.CommandResult;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.BridgeHeaders;
import org.amtbus.schemas.topic.KafkaTopics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a user types: Debian's mosquitto_pub and mosquitto_sub over TLS with the generated CA file.
 * CI installs mosquitto-clients and this test fails there if they are missing; elsewhere it is
 * skipped with a message saying how to install them.
 */
class MosquittoClientsIT {

    @RegisterExtension
    static final RunningNode node = RunningNode.perClass(MosquittoClientsIT::requireClients);

    private static void requireClients() {
        boolean installed = new java.io.File("/usr/bin/mosquitto_pub").canExecute()
                && new java.io.File("/usr/bin/mosquitto_sub").canExecute();
        if (!installed && System.getenv("CI") != null) {
            throw new IllegalStateException("CI must install mosquitto-clients (apt-get install mosquitto-clients)");
        }
        Assumptions.assumeTrue(installed, "mosquitto-clients not installed: apt-get install mosquitto-clients");
    }

    @Test
    void mosquittoPubSendsACommandThatLandsInKafkaWithTheBrokerStampedPrincipal() throws Exception {
        // given
        DeviceGuid guid = DeviceGuid.of(UUID.randomUUID());
        String commandId = UUID.randomUUID().toString();
        String payload = "{\"schema\":\"amtbus.command/v1\",\"id\":\"" + commandId + "\",\"tenant\":\"acme\",\"guid\":\""
                + guid.value() + "\",\"action\":\"power.state\",\"time\":\"" + Instant.now() + "\"}";
        try (Consumer<String, byte[]> consumer = node.kafka().consumer("it-" + UUID.randomUUID(), KafkaClients.OffsetReset.EARLIEST)) {
            consumer.subscribe(List.of(KafkaTopics.COMMANDS));

            // when
            Process pub = new ProcessBuilder(tls("mosquitto_pub", "-q", "1",
                    "-t", "amtbus/v1/acme/devices/" + guid.value() + "/commands", "-m", payload))
                    .redirectErrorStream(true).start();
            assertThat(pub.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(pub.exitValue()).as(new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();

            // then
            List<ConsumerRecord<String, byte[]>> seen = RunningNode.pollUntil(consumer, Duration.ofSeconds(30),
                    records -> records.stream().anyMatch(r -> guid.value().equals(r.key())));
            ConsumerRecord<String, byte[]> record = seen.stream().filter(r -> guid.value().equals(r.key())).findFirst().orElseThrow();
            assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo(payload);
            assertThat(new String(record.headers().lastHeader(BridgeHeaders.PRINCIPAL).value(), StandardCharsets.UTF_8))
                    .isEqualTo("admin");
        }
    }

    @Test
    void mosquittoSubReceivesAResultWrittenToKafka() throws Exception {
        // given a subscriber as a user would start it (-d prints the SUBACK, so we know it is subscribed;
        // stdbuf keeps its stdout line-buffered into our pipe)
        DeviceGuid guid = DeviceGuid.of(UUID.randomUUID());
        List<String> command = new java.util.ArrayList<>(List.of("stdbuf", "-oL"));
        command.addAll(tls("mosquitto_sub", "-d", "-C", "1", "-W", "60",
                "-t", "amtbus/v1/acme/devices/" + guid.value() + "/results"));
        Process sub = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(sub.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // process ended
            }
        });
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> lines.stream().anyMatch(l -> l.contains("SUBACK")));
            CommandResult result = new CommandResult(UUID.randomUUID(), UUID.randomUUID(), new TenantId("acme"), guid,
                    CommandResult.Status.OFFLINE, "no gateway holds the device", null, null, null, Instant.now());

            // when
            try (Producer<String, byte[]> producer = node.kafka().producer("it")) {
                producer.send(new ProducerRecord<>(KafkaTopics.RESULTS, guid.value(), Json.write(result))).get(10, TimeUnit.SECONDS);
            }

            // then
            assertThat(sub.waitFor(60, TimeUnit.SECONDS)).isTrue();
            reader.join(Duration.ofSeconds(10));
            assertThat(sub.exitValue()).isZero();
            assertThat(lines).anyMatch(l -> l.contains(result.id().toString()) && l.contains("\"status\":\"offline\""));
        } finally {
            sub.destroyForcibly();
        }
    }

    private static List<String> tls(String program, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(program, "-h", "localhost", "-p", String.valueOf(node.mqttPort()),
                "--cafile", node.caFile().toString(), "-u", "admin", "-P", node.adminPassword()));
        command.addAll(List.of(args));
        return command;
    }
}
