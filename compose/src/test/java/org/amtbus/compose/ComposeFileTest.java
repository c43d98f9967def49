package org.amtbus.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The compose deployment's promises, checked on the file itself (the compose client resolves anchors the same
 * way): hardened containers, only the public ports published, no secret in an environment variable, health
 * checks; and {@code docker-compose config} accepts it where the client is installed (CI installs it).
 */
class ComposeFileTest {

    private static final Path FILE = Path.of("compose.yaml");
    private static final Set<String> ONE_SHOT = Set.of("certs", "vault-init");
    private static final Set<String> AMTBUS = Set.of("audit-sink", "provisioning", "router-1", "router-2", "broker-1",
            "broker-2", "gateway-1", "gateway-2");
    private static JsonNode services;

    @BeforeAll
    static void read() throws IOException {
        // SnakeYAML resolves anchors and '<<' merge keys as the compose client does
        Object tree = new org.yaml.snakeyaml.Yaml().load(Files.readString(FILE));
        services = new ObjectMapper().valueToTree(tree).get("services");
    }

    private static List<String> names() {
        List<String> out = new ArrayList<>();
        services.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static JsonNode resolved(String name) {
        return services.get(name);
    }

    @Test
    void theTopologyHasEveryRole() {
        assertThat(names()).containsAll(AMTBUS).contains("kafka", "postgres", "vault");
        for (String name : AMTBUS) {
            assertThat(resolved(name).get("command").toString()).as(name).contains("--roles");
        }
    }

    @Test
    void everyLongRunningContainerIsHardened() {
        for (String name : names()) {
            JsonNode s = resolved(name);
            assertThat(s.path("cap_drop").toString()).as(name + " drops every capability").contains("ALL");
            assertThat(s.path("security_opt").toString()).as(name).contains("no-new-privileges:true");
            assertThat(s.path("read_only").asBoolean()).as(name + " has a read-only root file system").isTrue();
            if (!ONE_SHOT.contains(name)) {
                assertThat(s.has("healthcheck")).as(name + " has a health check").isTrue();
                assertThat(s.path("user").asText("10001")).as(name + " does not run as root").doesNotStartWith("0");
            }
        }
    }

    @Test
    void onlyCiraMqttAndHttpsArePublished() {
        List<String> published = new ArrayList<>();
        for (String name : names()) {
            resolved(name).path("ports").forEach(p -> published.add(p.asText()));
        }
        assertThat(published).containsExactlyInAnyOrder("8443:8443", "8883:8883", "8884:8883", "4433:4433", "4434:4433");
    }

    @Test
    void noSecretIsPassedInTheEnvironment() {
        for (String name : names()) {
            resolved(name).path("environment").fieldNames().forEachRemaining(key -> assertThat(key).as(name)
                    .doesNotMatch("(?i).*(PASSWORD|SECRET|TOKEN|PASSPHRASE)$"));
        }
    }

    @Test
    void theComposeClientAcceptsTheFile() throws Exception {
        assumeTrue(onPath("docker-compose"), "docker-compose is not installed here (CI installs Debian's)");
        Process p = new ProcessBuilder("docker-compose", "-f", FILE.toString(), "config", "-q").redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

}
