package org.amtbus.platform.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** PEM encoding of certificates and PKCS#8 private keys. */
final class Pem {

    private Pem() {
    }

    static byte[] certificates(List<X509Certificate> certificates) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (X509Certificate c : certificates) {
                writer.writeObject(c);
            }
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] privateKey(PrivateKey key) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new JcaPKCS8Generator(key, null));
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static List<X509Certificate> readCertificates(byte[] pem) throws IOException {
        List<X509Certificate> result = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (!(o instanceof X509CertificateHolder holder)) {
                    throw new IOException("unexpected PEM object " + o.getClass().getSimpleName() + " in a certificate file");
                }
                result.add(converter.getCertificate(holder));
            }
        } catch (CertificateException e) {
            throw new IOException("unreadable certificate: " + e.getMessage(), e);
        }
        if (result.isEmpty()) {
            throw new IOException("no certificate in file");
        }
        return result;
    }

    static PrivateKey readPrivateKey(byte[] pem) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
            Object o = parser.readObject();
            if (!(o instanceof PrivateKeyInfo info)) {
                throw new IOException("the key file does not hold a PKCS#8 private key");
            }
            return new JcaPEMKeyConverter().getPrivateKey(info);
        }
    }
}
