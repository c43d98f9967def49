package org.amtbus.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @TempDir
    Path dir;

    private Settings load(String yaml, Map<String, String> env) throws Exception {
        Path file = dir.resolve("amtbus.yaml");
        Files.writeString(file, yaml);
        return Settings.load(Optional.of(file), env);
    }

    @Test
    void readsNestedKeysAndLetsTheEnvironmentOverrideThem() throws Exception {
        Settings s = load("broker:\n  mqtt:\n    port: 8884\n  connectTimeout: 20s\n",
                Map.of("AMTBUS_BROKER_MQTT_PORT", "8885"));
        assertThat(s.port("broker.mqtt.port", 8883, false)).isEqualTo(8885);
        assertThat(s.duration("broker.connectTimeout", Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(5)))
                .isEqualTo(Duration.ofSeconds(20));
        assertThat(s.intIn("broker.sessionQueueSize", 1024, 16, 100)).isEqualTo(1024);
    }

    @Test
    void aBadValueIsOneLineNamingTheKeyAndWhatIsAllowed() throws Exception {
        Settings s = load("kafka:\n  port: 70000\n", Map.of());
        assertThatThrownBy(() -> s.port("kafka.port", 9092, false))
                .isInstanceOf(ConfigException.class)
                .hasMessage("kafka.port: '70000' is not a port (1-65535)");
    }

    @Test
    void durationsOutsideTheirBoundsAreRefused() throws Exception {
        Settings s = load("broker:\n  connectTimeout: 2h\n", Map.of());
        assertThatThrownBy(() -> s.duration("broker.connectTimeout", Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(5)))
                .hasMessageStartingWith("broker.connectTimeout: '2h' is not a duration");
    }

    @Test
    void unknownKeysAreNamed() throws Exception {
        Settings s = load("broker:\n  mqtt:\n    port: 1\n    hots: x\n", Map.of());
        s.port("broker.mqtt.port", 8883, false);
        assertThatThrownBy(s::rejectUnknownKeys).hasMessageContaining("broker.mqtt.hots");
    }

    @Test
    void secretsAreRefusedFromTheFileAndFromTheEnvironment() throws Exception {
        assertThatThrownBy(() -> load("vault:\n  token: s.abcdef\n", Map.of()))
                .hasMessageContaining("vault.token").hasMessageContaining("secret store").hasMessageNotContaining("s.abcdef");
        Settings s = load("", Map.of("AMTBUS_DATABASE_PASSWORD", "hunter2"));
        assertThatThrownBy(() -> s.raw("database.password"))
                .hasMessageContaining("AMTBUS_DATABASE_PASSWORD").hasMessageNotContaining("hunter2");
    }

    @Test
    void addressesMustBeLiteralsSoStartNeverWaitsOnDns() throws Exception {
        Settings s = load("broker:\n  mqtt:\n    host: example.org\n", Map.of());
        assertThatThrownBy(() -> s.address("broker.mqtt.host", null)).hasMessageContaining("an IP address");
    }

    @Test
    void environmentNamesFollowOneRule() {
        assertThat(Settings.envName("broker.mqtt.port")).isEqualTo("AMTBUS_BROKER_MQTT_PORT");
        assertThat(Settings.envName("broker.maxMessageBytes")).isEqualTo("AMTBUS_BROKER_MAXMESSAGEBYTES");
    }
}
