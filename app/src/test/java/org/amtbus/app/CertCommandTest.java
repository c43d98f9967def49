package org.amtbus.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertCommandTest {

    @TempDir
    Path dir;

    @Test
    void writesARequestAndAnOwnerOnlyKeyForAnOrganizationsCa() throws Exception {
        int code = Amtbus.execute(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                "cert", "csr", "--name", "gateway", "--dns", "cira.example.org", "--ip", "192.0.2.7", "--out", dir.toString());

        assertThat(code).isZero();
        assertThat(Files.readString(dir.resolve("gateway.csr"))).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("gateway.key"))))
                .isEqualTo("rw-------");
    }

    @Test
    void refusesAnAddressThatIsNotAnIp() {
        StringWriter err = new StringWriter();
        int code = Amtbus.execute(new PrintWriter(new StringWriter()), new PrintWriter(err, true),
                "cert", "csr", "--name", "gateway", "--ip", "example.org", "--out", dir.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("amtbus: --ip: 'example.org' is not an IP address");
    }
}
