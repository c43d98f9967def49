package org.amtbus.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code amtbus device} and {@code amtbus audit} against a running node, as an operator types them. */
class DeviceAndAuditCommandsIT {

    @RegisterExtension
    static final OperatorNode ops = new OperatorNode();

    private static OperatorNode.Run amtbus(String stdin, String... args) {
        return ops.amtbus(stdin, args);
    }

    @Test
    void anOperatorRegistersListsAndRemovesADevice() throws Exception {
        String guid = UUID.randomUUID().toString();

        OperatorNode.Run added = amtbus("", "device", "add", guid, "--tenant", "acme", "--hostname", "pc-1.example.test",
                "--tag", "lab");
        assertThat(added.code()).as(added.err()).isZero();
        Path credentials = ops.dataDir.resolve("device-credentials").resolve(guid);
        assertThat(Files.getPosixFilePermissions(credentials)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String file = Files.readString(credentials);
        assertThat(file).contains("cira-password=").contains("amt-admin-password=");
        assertThat(added.out()).doesNotContain(file.lines().filter(l -> l.startsWith("cira-password=")).findFirst()
                .orElseThrow().substring("cira-password=".length()));

        assertThat(amtbus("", "device", "add", guid, "--tenant", "acme").code()).as("a second registration").isEqualTo(1);
        assertThat(amtbus("", "device", "list", "--tenant", "acme").out()).contains(guid).contains("offline").contains("lab");
        assertThat(amtbus("", "secret", "list", "--prefix", "devices/" + guid).out())
                .contains("devices/" + guid + "/cira-password").contains("devices/" + guid + "/amt-admin-password");

        assertThat(amtbus("", "device", "remove", guid).code()).isZero();
        assertThat(amtbus("", "device", "list").out()).doesNotContain(guid);
        assertThat(amtbus("", "secret", "list", "--prefix", "devices/" + guid).out()).doesNotContain(guid);
    }

    @Test
    void anOperatorCreatesAOneTimeEnrollmentTokenForAnAgent() throws Exception {
        String guid = UUID.randomUUID().toString();
        Path file = ops.dataDir.resolve("enroll-" + guid);

        OperatorNode.Run printed = amtbus("", "device", "enroll", guid, "--tenant", "acme");
        OperatorNode.Run written = amtbus("", "device", "enroll", guid, "--tenant", "acme", "--minutes", "5", "--token-file",
                file.toString());
        OperatorNode.Run tooLong = amtbus("", "device", "enroll", guid, "--tenant", "acme", "--minutes", "9999");

        assertThat(printed.code()).as(printed.err()).isZero();
        assertThat(printed.out().lines().toList().getLast()).matches("[A-Za-z0-9_-]{43}");
        assertThat(written.code()).as(written.err()).isZero();
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(file)).matches("[A-Za-z0-9_-]{43}");
        assertThat(written.out()).doesNotContain(Files.readString(file));
        assertThat(tooLong.code()).isEqualTo(2);
        assertThat(tooLong.err()).contains("--minutes");
    }

    @Test
    void badDeviceInputIsRefusedWithOneLine() {
        OperatorNode.Run badGuid = amtbus("", "device", "add", "not-a-guid", "--tenant", "acme");
        assertThat(badGuid.code()).isEqualTo(2);
        assertThat(badGuid.err()).startsWith("amtbus: GUID:");

        OperatorNode.Run weak = amtbus("short\nalso-short\n", "device", "add", UUID.randomUUID().toString(), "--tenant", "acme",
                "--credentials-from-stdin");
        assertThat(weak.code()).isEqualTo(2);
        assertThat(weak.err()).contains("two lines");

        OperatorNode.Run given = amtbus("Cira-Passw0rd!x\nAdm1n-Passw0rd!y\n", "device", "add", UUID.randomUUID().toString(),
                "--tenant", "acme", "--credentials-from-stdin");
        assertThat(given.code()).as(given.err()).isZero();
        assertThat(given.out()).doesNotContain("Cira-Passw0rd!x").doesNotContain("device-credentials");
    }

    @Test
    void theAuditTrailIsStoredChainedAndVerifiable() {
        String guid = UUID.randomUUID().toString();
        assertThat(amtbus("", "device", "add", guid, "--tenant", "acme").code()).isZero();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(amtbus("", "audit", "search", "--type", "device.*").out()).contains("device:" + guid));
        assertThat(amtbus("", "audit", "tail", "-n", "500").out()).contains("service.started").contains("device.registered")
                .contains("cert.issued");
        assertThat(amtbus("", "audit", "tail", "-n", "5", "--json").out()).contains("\"schema\":\"amtbus.audit-event/v1\"");

        OperatorNode.Run verify = amtbus("", "audit", "verify");
        assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("intact:");
        assertThat(amtbus("", "audit", "keys").out()).contains("-----BEGIN PUBLIC KEY-----");
        assertThat(amtbus("", "audit", "search", "--since", "yesterday").code()).isEqualTo(2);
    }
}
