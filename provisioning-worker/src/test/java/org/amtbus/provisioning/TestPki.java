package org.amtbus.provisioning;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A provisioning PKI as a CA would sell it, made with BouncyCastle: RSA 2048 root, intermediate and a leaf
 * whose CN is under the DNS suffix, exported as a PKCS#12 .pfx with a password.
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

    final X509Certificate root;
    final X509Certificate intermediate;
    final X509Certificate leaf;
    final PrivateKey leafKey;

    public TestPki(String leafCn) {
        Instant now = Instant.now();
        Instant from = now.minus(Duration.ofDays(1));
        KeyPair rootKeys = rsa();
        KeyPair intermediateKeys = rsa();
        KeyPair leafKeys = rsa();
        root = certificate("CN=Test Provisioning Root", rootKeys.getPublic(), "CN=Test Provisioning Root",
                rootKeys.getPrivate(), from, now.plus(Duration.ofDays(3650)), true);
        intermediate = certificate("CN=Test Provisioning Intermediate", intermediateKeys.getPublic(),
                "CN=Test Provisioning Root", rootKeys.getPrivate(), from, now.plus(Duration.ofDays(1825)), true);
        leaf = certificate("CN=" + leafCn + ",O=amtbus test", leafKeys.getPublic(), "CN=Test Provisioning Intermediate",
                intermediateKeys.getPrivate(), from, now.plus(Duration.ofDays(365)), false);
        leafKey = leafKeys.getPrivate();
    }

    /** The .pfx: the key entry with the chain in file order root, leaf, intermediate (the worker must order it). */
    public byte[] pfx(char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("provisioning", leafKey, password, new Certificate[] {leaf, intermediate, root});
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, password);
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException("test pfx", e);
        }
    }

    public String rootSha256() {
        return hash("SHA-256", root);
    }

    static String hash(String algorithm, X509Certificate c) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(c.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate certificate(String subject, PublicKey key, String issuer, PrivateKey issuerKey,
                                               Instant from, Instant to, boolean ca) {
        try {
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from), Date.from(to), new X500Name(subject), key);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                    : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException("test certificate", e);
        }
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
