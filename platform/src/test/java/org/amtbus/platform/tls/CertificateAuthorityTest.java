package org.amtbus.platform.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {

    @TempDir
    Path dir;

    @Test
    void createsAP384RootValidForFiveYearsWithAnOwnerOnlyKey() throws Exception {
        // when
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir, Clock.systemUTC());

        // then
        X509Certificate root = ca.certificate();
        assertThat(root.getSigAlgName()).isEqualTo("SHA384withECDSA");
        assertThat(((ECPublicKey) root.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(384);
        assertThat(root.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(Duration.between(root.getNotBefore().toInstant(), root.getNotAfter().toInstant()))
                .isGreaterThanOrEqualTo(Duration.ofDays(5 * 365));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.key")))).isEqualTo("rw-------");
        root.verify(root.getPublicKey());
    }

    @Test
    void reusesTheSameRootOnTheNextStart() throws Exception {
        X509Certificate first = CertificateAuthority.loadOrCreate(dir, Clock.systemUTC()).certificate();
        X509Certificate second = CertificateAuthority.loadOrCreate(dir, Clock.systemUTC()).certificate();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void issuesServerCertificatesWithTheAskedNamesForOneYear() throws Exception {
        // given
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir, Clock.systemUTC());

        // when
        IssuedCertificate issued = ca.issueServer("broker", List.of("localhost", "mqtt.example.org"),
                List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")), CertificateAuthority.SERVICE_VALIDITY);

        // then
        X509Certificate leaf = issued.certificate();
        leaf.verify(ca.certificate().getPublicKey());
        assertThat(leaf.getSigAlgName()).isEqualTo("SHA384withECDSA");
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
        assertThat(leaf.getSubjectAlternativeNames()).extracting(n -> String.valueOf(n.get(1)))
                .contains("localhost", "mqtt.example.org", "127.0.0.1").anyMatch(s -> s.startsWith("0:0:0:0:0:0:0:1"));
        assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()))
                .isBetween(Duration.ofDays(365), Duration.ofDays(366));
        assertThat(issued.toString()).contains("[hidden]").doesNotContain("PRIVATE");
    }

    @Test
    void keepsAServiceCertificateAcrossStartsAndRenewsItInsideTheLastThirtyDays() throws Exception {
        // given a certificate issued "now"
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir, Clock.fixed(now, ZoneOffset.UTC));
        List<InetAddress> ips = List.of(InetAddress.getByName("127.0.0.1"));
        X509Certificate first = ca.loadOrIssueServer(dir, "broker", List.of("localhost"), ips).certificate();

        // when started again soon after, and again 340 days later
        X509Certificate again = CertificateAuthority.loadOrCreate(dir, Clock.fixed(now.plus(Duration.ofDays(10)), ZoneOffset.UTC))
                .loadOrIssueServer(dir, "broker", List.of("localhost"), ips).certificate();
        X509Certificate renewed = CertificateAuthority.loadOrCreate(dir, Clock.fixed(now.plus(Duration.ofDays(340)), ZoneOffset.UTC))
                .loadOrIssueServer(dir, "broker", List.of("localhost"), ips).certificate();

        // then
        assertThat(again).isEqualTo(first);
        assertThat(renewed).isNotEqualTo(first);
        assertThat(renewed.getNotAfter()).isAfter(first.getNotAfter());
    }

    @Test
    void reissuesWhenTheNamesChange() throws Exception {
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir, Clock.systemUTC());
        X509Certificate first = ca.loadOrIssueServer(dir, "broker", List.of("localhost"), List.of()).certificate();
        X509Certificate second = ca.loadOrIssueServer(dir, "broker", List.of("localhost", "other"), List.of()).certificate();
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void refusesAKeyFileOthersCanRead() throws Exception {
        CertificateAuthority.loadOrCreate(dir, Clock.systemUTC());
        Files.setPosixFilePermissions(dir.resolve("ca.key"), PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(dir, Clock.systemUTC()))
                .hasMessageContaining("ca.key").hasMessageContaining("0600");
    }

    @Test
    void refusesAHalfPresentCa() throws Exception {
        CertificateAuthority.loadOrCreate(dir, Clock.systemUTC());
        Files.delete(dir.resolve("ca.key"));

        assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(dir, Clock.systemUTC()))
                .hasMessageContaining("incomplete");
    }
}
