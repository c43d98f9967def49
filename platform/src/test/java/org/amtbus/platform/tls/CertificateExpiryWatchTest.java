package org.amtbus.platform.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateExpiryWatchTest {

    @TempDir
    Path dir;

    @Test
    void reportsOnlyCertificatesInsideTheThreshold() {
        // given a CA (5 years) and a service certificate valid for 40 days
        Instant now = Instant.parse("2026-06-01T00:00:00Z");
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir, Clock.fixed(now, ZoneOffset.UTC));
        IssuedCertificate shortLived = ca.issueServer("broker", List.of("localhost"), List.of(), Duration.ofDays(40));
        List<String> reported = new ArrayList<>();
        Map<String, java.security.cert.X509Certificate> certs = Map.of("ca", ca.certificate(), "broker", shortLived.certificate());

        // when checked today, and 15 days later
        List<String> today = new CertificateExpiryWatch(certs, Clock.fixed(now, ZoneOffset.UTC),
                CertificateExpiryWatch.DEFAULT_THRESHOLD, (name, cert, left) -> reported.add(name)).checkNow();
        List<String> later = new CertificateExpiryWatch(certs, Clock.fixed(now.plus(Duration.ofDays(15)), ZoneOffset.UTC),
                CertificateExpiryWatch.DEFAULT_THRESHOLD, (name, cert, left) -> reported.add(name + ":" + left.toDays())).checkNow();

        // then nothing is reported while 40 days remain, the broker certificate once 25 remain
        assertThat(today).isEmpty();
        assertThat(later).containsExactly("broker");
        assertThat(reported).containsExactly("broker:25");
    }
}
