package org.amtbus.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The real command, as a user starts it: {@code java -jar amtbus.jar run} in its own process, stopped
 * with Ctrl-C (SIGINT).
 */
class AmtbusProcessIT {

    private static final Path JAR = Path.of("target", "amtbus.jar");

    @Test
    void runPrintsItsEndpointsNeverThePasswordAndStopsCleanlyOnCtrlC() throws Exception {
        // given
        assertThat(JAR).as("the shaded jar is built in the package phase").exists();
        Path dataDir = Files.createTempDirectory("amtbus-process-");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "run", "--data-dir", dataDir.toString())
                .redirectErrorStream(true);
        pb.environment().put("AMTBUS_BROKER_MQTT_HOST", "127.0.0.1");
        pb.environment().put("AMTBUS_BROKER_MQTT_PORT", "0");
        pb.environment().put("AMTBUS_KAFKA_PORT", "0");
        pb.environment().put("AMTBUS_DATABASE_PORT", "0");
        pb.environment().put("AMTBUS_METRICS_PORT", "0");
        pb.environment().put("AMTBUS_API_PORT", "0");
        pb.environment().put("AMTBUS_CIRA_HOST", "127.0.0.1");
        pb.environment().put("AMTBUS_CIRA_PORT", "0");

        // when
        Process process = pb.start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> lines.stream().anyMatch(l -> l.contains("Press Ctrl-C to stop.")));

            // then it prints where everything is, including the 0600 password file, but not the password
            String output = String.join("\n", lines);
            Path passwordFile = dataDir.resolve("admin-password");
            assertThat(output).contains("MQTT over TLS").contains("CIRA (AMT devices)").contains(dataDir.resolve("tls/ca.crt").toString())
                    .contains("one-time password is in " + passwordFile);
            String password = Files.readString(passwordFile).strip();
            assertThat(output).doesNotContain(password);
            Matcher port = Pattern.compile("mqtts://127\\.0\\.0\\.1:(\\d+)").matcher(output);
            assertThat(port.find()).isTrue();
            int mqttPort = Integer.parseInt(port.group(1));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", mqttPort), 5_000);
            }

            // when Ctrl-C
            new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor();

            // then it stops within a bounded time, having stopped its parts, and frees its port
            // bounded, with room for a loaded CI machine; the output names the part that is slow if it fails
            assertThat(process.waitFor(120, TimeUnit.SECONDS))
                    .as(() -> "stopped within 120 s; its last output:\n" + String.join("\n",
                            lines.subList(Math.max(0, lines.size() - 40), lines.size())))
                    .isTrue();
            reader.join(Duration.ofSeconds(5));
            assertThat(lines).anyMatch(l -> l.contains("event=node.stopped"));
            assertThat(String.join("\n", lines)).doesNotContain(password).doesNotContain("Exception");
            try (Socket s = new Socket()) {
                assertThat(canConnect(s, mqttPort)).isFalse();
            }
        } finally {
            process.destroyForcibly();
        }
    }

    private static boolean canConnect(Socket s, int port) {
        try {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
