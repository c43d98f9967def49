package org.amtbus.sim.amt;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test provisioning PKI made with BouncyCastle: RSA 2048 root, intermediate and leaf, like a .pfx from a
 * CA (leaf CN chosen by the test), plus an unrelated key for bad signatures.
 */
final class ProvisioningPki {
    private static final KeyPair ROOT_KEYS = rsa();
    private static final KeyPair INTERMEDIATE_KEYS = rsa();
    private static final KeyPair LEAF_KEYS = rsa();
    private static final KeyPair OTHER_KEYS = rsa();

    final X509Certificate root;
    final X509Certificate intermediate;
    final X509Certificate leaf;
    final PrivateKey leafKey = LEAF_KEYS.getPrivate();
    final PrivateKey otherKey = OTHER_KEYS.getPrivate();

    /** A chain valid from a day before {@code now}; the leaf for {@code leafValidity}. */
    ProvisioningPki(Instant now, String leafCn, Duration leafValidity) {
        Instant from = now.minus(Duration.ofDays(1));
        root = certificate("CN=Test Provisioning Root", ROOT_KEYS.getPublic(), "CN=Test Provisioning Root",
                ROOT_KEYS.getPrivate(), from, now.plus(Duration.ofDays(3650)), true);
        intermediate = certificate("CN=Test Provisioning Intermediate", INTERMEDIATE_KEYS.getPublic(),
                "CN=Test Provisioning Root", ROOT_KEYS.getPrivate(), from, now.plus(Duration.ofDays(1825)), true);
        leaf = certificate("CN=" + leafCn + ",O=amtbus test", LEAF_KEYS.getPublic(), "CN=Test Provisioning Intermediate",
                INTERMEDIATE_KEYS.getPrivate(), from, now.plus(leafValidity), false);
    }

    ProvisioningPki(Instant now) {
        this(now, "prov.example.test", Duration.ofDays(365));
    }

    /** Leaf first, root last: the order AddNextCertInChain wants. */
    List<X509Certificate> chain() {
        return List.of(leaf, intermediate, root);
    }

    static String sha256(X509Certificate c) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed certificate, e.g. an MPS root. */
    static X509Certificate selfSigned(String cn, Instant now) {
        KeyPair k = rsa();
        return certificate("CN=" + cn, k.getPublic(), "CN=" + cn, k.getPrivate(), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(3650)), true);
    }

    private static X509Certificate certificate(String subject, PublicKey key, String issuer, PrivateKey issuerKey,
                                               Instant from, Instant to, boolean ca) {
        try {
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                    BigInteger.valueOf(System.nanoTime()), Date.from(from), Date.from(to), new X500Name(subject), key);
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
