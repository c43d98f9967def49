package org.amtbus.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A start that cannot succeed ends with one clear line on stderr and a non-zero exit code. */
class StartupFailuresIT {

    private record Outcome(int exitCode, String err) { }

    private static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Amtbus.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Outcome(code, err.toString());
    }

    @Test
    void aBadValueInTheConfigFileNamesTheSetting() throws Exception {
        // given
        Path dir = Files.createTempDirectory("amtbus-cfg-");
        Files.writeString(dir.resolve("amtbus.yaml"), "broker:\n  mqtt:\n    port: abc\n");

        // when
        Outcome outcome = run("run", "--data-dir", dir.toString());

        // then
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err().strip()).isEqualTo("amtbus: broker.mqtt.port: 'abc' is not a port (1-65535, or 0 for a random free port)");
    }

    @Test
    void aTypoInTheConfigFileIsAnErrorNotASilentDefault() throws Exception {
        Path dir = Files.createTempDirectory("amtbus-cfg-");
        Files.writeString(dir.resolve("amtbus.yaml"), "broker:\n  mqtt:\n    prot: 8883\n");

        Outcome outcome = run("run", "--data-dir", dir.toString());

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains("unknown setting broker.mqtt.prot").doesNotContain("\tat ");
        assertThat(outcome.err().strip().lines()).hasSize(1);
    }

    @Test
    void aSecretInTheConfigFileIsRefused() throws Exception {
        Path dir = Files.createTempDirectory("amtbus-cfg-");
        Files.writeString(dir.resolve("amtbus.yaml"), "database:\n  password: hunter2hunter2\n");

        Outcome outcome = run("run", "--data-dir", dir.toString());

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains("database.password").contains("secret store").doesNotContain("hunter2");
    }

    @Test
    void malformedYamlNamesTheFileAndLine() throws Exception {
        Path dir = Files.createTempDirectory("amtbus-cfg-");
        Files.writeString(dir.resolve("amtbus.yaml"), "broker:\n  mqtt: [unclosed\n");

        Outcome outcome = run("run", "--data-dir", dir.toString());

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains("amtbus.yaml").contains("line").contains("not valid YAML");
        assertThat(outcome.err().strip().lines()).hasSize(1);
    }

    @Test
    void aDataDirectoryThatIsAFileIsRefused() throws Exception {
        Path file = Files.createTempFile("amtbus-not-a-dir-", ".txt");

        Outcome outcome = run("run", "--data-dir", file.toString());

        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.err().strip()).startsWith("amtbus: data directory " + file).endsWith("is not a writable directory");
    }

    @Test
    void aPortInUseIsNamedBeforeAnythingStarts() throws Exception {
        // given the MQTT port is taken
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Path dir = Files.createTempDirectory("amtbus-port-");
            Files.writeString(dir.resolve("amtbus.yaml"),
                    "broker:\n  mqtt:\n    host: 127.0.0.1\n    port: " + taken.getLocalPort() + "\n");

            // when
            Outcome outcome = run("run", "--data-dir", dir.toString());

            // then nothing was started: no PostgreSQL or Kafka directory exists
            assertThat(outcome.exitCode()).isEqualTo(1);
            assertThat(outcome.err().strip()).startsWith("amtbus: broker.mqtt.port: 127.0.0.1:" + taken.getLocalPort() + " is already in use");
            assertThat(dir.resolve("postgres")).doesNotExist();
            assertThat(dir.resolve("kafka")).doesNotExist();
        }
    }
}
