package org.amtbus.sim.amt;

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
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A provisioning PKI as a CA would sell it, for simulated machines and tests: RSA 2048 root, intermediate and
 * a leaf whose CN the caller chooses (a name under the DNS suffix), exportable as a PKCS#12 .pfx, plus an
 * unrelated key for bad signatures. Each instance has its own keys, so two instances have different roots.
 * Not for production: the keys live in memory only.
 */
public final class ProvisioningPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

    public final X509Certificate root;
    public final X509Certificate intermediate;
    public final X509Certificate leaf;
    public final PrivateKey leafKey;
    /** A key that is not the leaf's. */
    public final PrivateKey otherKey;

    /** A chain valid from a day before {@code now}; the leaf for {@code leafValidity}. */
    public ProvisioningPki(Instant now, String leafCn, Duration leafValidity) {
        Instant from = now.minus(Duration.ofDays(1));
        KeyPair rootKeys = rsa();
        KeyPair intermediateKeys = rsa();
        KeyPair leafKeys = rsa();
        root = certificate("CN=Test Provisioning Root", rootKeys.getPublic(), "CN=Test Provisioning Root",
                rootKeys.getPrivate(), from, now.plus(Duration.ofDays(3650)), true);
        intermediate = certificate("CN=Test Provisioning Intermediate", intermediateKeys.getPublic(),
                "CN=Test Provisioning Root", rootKeys.getPrivate(), from, now.plus(Duration.ofDays(1825)), true);
        leaf = certificate("CN=" + leafCn + ",O=amtbus test", leafKeys.getPublic(), "CN=Test Provisioning Intermediate",
                intermediateKeys.getPrivate(), from, now.plus(leafValidity), false);
        leafKey = leafKeys.getPrivate();
        otherKey = rsa().getPrivate();
    }

    /** A chain valid now, the leaf {@code leafCn} for a year. */
    public ProvisioningPki(String leafCn) {
        this(Instant.now(), leafCn, Duration.ofDays(365));
    }

    public ProvisioningPki(Instant now) {
        this(now, "prov.example.test", Duration.ofDays(365));
    }

    /** Leaf first, root last: the order AddNextCertInChain wants. */
    public List<X509Certificate> chain() {
        return List.of(leaf, intermediate, root);
    }

    /** The .pfx: the key entry with the chain in file order root, leaf, intermediate (a reader must order it). */
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
        return sha256(root);
    }

    public static String sha256(X509Certificate c) {
        return hash("SHA-256", c);
    }

    /** Lowercase hex of the certificate's digest with {@code algorithm} (SHA-1, SHA-256, SHA-384). */
    public static String hash(String algorithm, X509Certificate c) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(c.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed CA certificate, e.g. an MPS root. */
    public static X509Certificate selfSigned(String cn, Instant now) {
        KeyPair k = rsa();
        return certificate("CN=" + cn, k.getPublic(), "CN=" + cn, k.getPrivate(), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(3650)), true);
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
