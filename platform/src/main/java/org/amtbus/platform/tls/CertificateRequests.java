package org.amtbus.platform.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Certificate signing requests (PKCS#10, ECDSA P-384, SHA-384) for organizations that issue amtbus's
 * service certificates from their own CA instead of the dev CA.
 *
 * <p>Invariant: the new private key is written owner-only (0600) beside the request and never leaves
 * this machine; the request carries the DNS and IP names and asks for serverAuth and clientAuth.
 */
public final class CertificateRequests {

    private CertificateRequests() {
    }

    /** Where a request and its key were written. */
    public record Written(Path request, Path key) { }

    /** Creates a P-384 key and a CSR for it; writes {@code dir/name.csr} and {@code dir/name.key} (0600). */
    public static Written write(Path dir, String name, String commonName, List<String> dnsNames, List<InetAddress> ips) {
        KeyPair pair = CertificateAuthority.Keys.generateP384();
        PKCS10CertificationRequest csr = create(pair, commonName, dnsNames, ips);
        Path request = dir.resolve(name + ".csr");
        Path key = dir.resolve(name + ".key");
        try {
            Files.createDirectories(dir);
            OwnerOnlyFiles.write(key, Pem.privateKey(pair.getPrivate()));
            Files.write(request, pem(csr));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the request to " + dir + ": " + e.getMessage(), e);
        }
        return new Written(request, key);
    }

    /** A signed PKCS#10 request for {@code pair}. */
    public static PKCS10CertificationRequest create(KeyPair pair, String commonName, List<String> dnsNames, List<InetAddress> ips) {
        try {
            X500Principal subject = new X500Principal("CN=" + commonName.replaceAll("[,=+<>#;\"\\\\]", "_") + ", O=amtbus");
            JcaPKCS10CertificationRequestBuilder builder = new JcaPKCS10CertificationRequestBuilder(subject, pair.getPublic());
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            extensions.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            List<GeneralName> names = new ArrayList<>();
            dnsNames.forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
            ips.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip.getHostAddress())));
            if (!names.isEmpty()) {
                extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
            return builder.build(new JcaContentSignerBuilder("SHA384withECDSA").build(pair.getPrivate()));
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create a certificate request: " + e.getMessage(), e);
        }
    }

    static byte[] pem(PKCS10CertificationRequest csr) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(csr);
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
