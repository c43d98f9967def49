package org.amtbus.platform.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateRequestsTest {

    @TempDir
    Path dir;

    @Test
    void writesASignedP384RequestWithTheNamesAndAnOwnerOnlyKey() throws Exception {
        // when
        CertificateRequests.Written written = CertificateRequests.write(dir, "broker", "mqtt.example.org",
                List.of("mqtt.example.org"), List.of(InetAddress.getByName("192.0.2.10")));

        // then the request parses, is self-consistent, and carries the names
        PKCS10CertificationRequest csr;
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(written.request())))) {
            csr = (PKCS10CertificationRequest) parser.readObject();
        }
        assertThat(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getSubjectPublicKeyInfo()))).isTrue();
        assertThat(csr.getSubject().toString()).contains("CN=mqtt.example.org");
        assertThat(csr.getSignatureAlgorithm().getAlgorithm().getId()).isEqualTo("1.2.840.10045.4.3.3"); // ecdsa-with-SHA384
        Extensions extensions = Extensions.getInstance(
                csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)[0].getAttrValues().getObjectAt(0));
        GeneralNames sans = GeneralNames.fromExtensions(extensions, org.bouncycastle.asn1.x509.Extension.subjectAlternativeName);
        assertThat(sans.getNames()).extracting(GeneralName::getTagNo).containsExactlyInAnyOrder(GeneralName.dNSName, GeneralName.iPAddress);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written.key()))).isEqualTo("rw-------");

        // and it can be verified with openssl too, as an organization's CA would
        Process p = new ProcessBuilder("openssl", "req", "-in", written.request().toString(), "-noout", "-verify", "-text")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isZero();
        assertThat(out).contains("verify OK").contains("DNS:mqtt.example.org").contains("IP Address:192.0.2.10")
                .contains("NIST CURVE: P-384");
    }
}
