package org.amtbus.platform.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * amtbus's own certificate authority: an ECDSA P-384 root (SHA-384, 5 years) that issues service
 * certificates (1 year, DNS and IP SANs).
 *
 * <p>Invariants: private keys are written owner-only (0600) and refused on load when they are not;
 * a certificate is reissued when missing, when its names no longer match, or when it expires within
 * {@link #RENEW_BEFORE}; the root is created once and reused.
 */
public final class CertificateAuthority {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateAuthority.class);

    public static final Duration ROOT_VALIDITY = Duration.ofDays(5 * 365);
    public static final Duration SERVICE_VALIDITY = Duration.ofDays(365);
    /** Matches the expiry alert: a certificate inside this window is renewed at start. */
    public static final Duration RENEW_BEFORE = Duration.ofDays(30);
    /** Tolerates clocks a little behind ours on the peer side. */
    /** How far notBefore lies before the moment of issue (clock skew between machines). */
    public static final Duration BACKDATE = Duration.ofMinutes(5);
    private static final String SIGNATURE = "SHA384withECDSA";
    private static final String CA_CERT = "ca.crt";
    private static final String CA_KEY = "ca.key";

    private final X509Certificate certificate;
    private final PrivateKey key;
    private final Path certificateFile;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    private CertificateAuthority(X509Certificate certificate, PrivateKey key, Path certificateFile, Clock clock) {
        this.certificate = certificate;
        this.key = key;
        this.certificateFile = certificateFile;
        this.clock = clock;
    }

    /** Loads the CA from {@code dir}, creating it on first use. */
    public static CertificateAuthority loadOrCreate(Path dir, Clock clock) {
        Path certFile = dir.resolve(CA_CERT);
        Path keyFile = dir.resolve(CA_KEY);
        try {
            Files.createDirectories(dir);
            if (Files.exists(certFile) && Files.exists(keyFile)) {
                X509Certificate cert = Pem.readCertificates(Files.readAllBytes(certFile)).get(0);
                PrivateKey key = Pem.readPrivateKey(OwnerOnlyFiles.read(keyFile));
                requireMatchingKey(cert.getPublicKey(), key, certFile);
                return new CertificateAuthority(cert, key, certFile, clock);
            }
            if (Files.exists(certFile) || Files.exists(keyFile)) {
                throw new IllegalStateException("CA in " + dir + " is incomplete: both " + CA_CERT + " and " + CA_KEY
                        + " must exist (restore the missing one, or remove both to create a new CA)");
            }
            KeyPair pair = Keys.generateP384();
            Instant now = clock.instant();
            X500Principal subject = new X500Principal("CN=amtbus development CA, O=amtbus");
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(new SecureRandom()),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(ROOT_VALIDITY)), subject, pair.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate cert = sign(builder, pair.getPrivate());
            OwnerOnlyFiles.write(keyFile, Pem.privateKey(pair.getPrivate()));
            Files.write(certFile, Pem.certificates(List.of(cert)));
            LOG.info("event=cert.issued subject=\"{}\" role=root expires={}", subject.getName(), cert.getNotAfter().toInstant());
            return new CertificateAuthority(cert, pair.getPrivate(), certFile, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("CA in " + dir + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("CA in " + dir + ": " + e.getMessage(), e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The PEM file clients use as their trust anchor (e.g. {@code mosquitto_sub --cafile}). */
    public Path certificateFile() {
        return certificateFile;
    }

    /** Issues a server certificate for the given names (serverAuth). */
    public IssuedCertificate issueServer(String commonName, List<String> dnsNames, List<InetAddress> ips, Duration validity) {
        return issue(commonName, dnsNames, ips, validity, KeyPurposeId.id_kp_serverAuth);
    }

    /** Issues a client certificate (clientAuth), for mutual TLS between services. */
    public IssuedCertificate issueClient(String commonName, Duration validity) {
        return issue(commonName, List.of(), List.of(), validity, KeyPurposeId.id_kp_clientAuth);
    }

    /**
     * Loads {@code dir/name.crt} and {@code dir/name.key}, issuing a new server certificate when they
     * are missing, name other hosts, or expire within {@link #RENEW_BEFORE}.
     */
    public IssuedCertificate loadOrIssueServer(Path dir, String name, List<String> dnsNames, List<InetAddress> ips) {
        Path certFile = dir.resolve(name + ".crt");
        Path keyFile = dir.resolve(name + ".key");
        try {
            if (Files.exists(certFile) && Files.exists(keyFile)) {
                List<X509Certificate> chain = Pem.readCertificates(Files.readAllBytes(certFile));
                PrivateKey key = Pem.readPrivateKey(OwnerOnlyFiles.read(keyFile));
                X509Certificate leaf = chain.get(0);
                boolean fresh = leaf.getNotAfter().toInstant().isAfter(clock.instant().plus(RENEW_BEFORE));
                boolean sameNames = sans(leaf).equals(wantedSans(dnsNames, ips));
                boolean ours = leaf.getIssuerX500Principal().equals(certificate.getSubjectX500Principal());
                if (fresh && sameNames && ours) {
                    requireMatchingKey(leaf.getPublicKey(), key, certFile);
                    return new IssuedCertificate(leaf, key, chain);
                }
                LOG.info("event=cert.renewing name={} expiring={} namesChanged={}", name, !fresh, !sameNames);
            }
            IssuedCertificate issued = issueServer(name, dnsNames, ips, SERVICE_VALIDITY);
            OwnerOnlyFiles.write(keyFile, Pem.privateKey(issued.privateKey()));
            Files.write(certFile, Pem.certificates(issued.chain()));
            return issued;
        } catch (IOException e) {
            throw new UncheckedIOException("certificate " + certFile + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("certificate " + certFile + ": " + e.getMessage(), e);
        }
    }

    private IssuedCertificate issue(String commonName, List<String> dnsNames, List<InetAddress> ips, Duration validity,
                                    KeyPurposeId purpose) {
        Objects.requireNonNull(commonName, "commonName");
        try {
            KeyPair pair = Keys.generateP384();
            Instant now = clock.instant();
            X500Principal subject = new X500Principal("CN=" + commonName.replaceAll("[,=+<>#;\"\\\\]", "_") + ", O=amtbus");
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(random),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), subject, pair.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
            List<GeneralName> names = new ArrayList<>();
            dnsNames.forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
            ips.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip.getHostAddress())));
            if (!names.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            X509Certificate cert = sign(builder, key);
            LOG.info("event=cert.issued subject=\"{}\" expires={}", subject.getName(), cert.getNotAfter().toInstant());
            return new IssuedCertificate(cert, pair.getPrivate(), List.of(cert, certificate));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + commonName + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(signingKey);
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    /** A positive random 127-bit serial, as RFC 5280 and the CA/B rules want unpredictable serials. */
    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    private static Set<String> wantedSans(List<String> dnsNames, List<InetAddress> ips) {
        Set<String> wanted = new HashSet<>();
        dnsNames.forEach(d -> wanted.add("dns:" + d.toLowerCase(java.util.Locale.ROOT)));
        ips.forEach(ip -> wanted.add("ip:" + ip.getHostAddress()));
        return wanted;
    }

    private static Set<String> sans(X509Certificate cert) throws GeneralSecurityException {
        Set<String> result = new HashSet<>();
        Collection<List<?>> names = cert.getSubjectAlternativeNames();
        if (names != null) {
            for (List<?> n : names) {
                int type = (Integer) n.get(0);
                String value = String.valueOf(n.get(1));
                if (type == GeneralName.dNSName) {
                    result.add("dns:" + value.toLowerCase(java.util.Locale.ROOT));
                } else if (type == GeneralName.iPAddress) {
                    try {
                        result.add("ip:" + InetAddress.getByName(value).getHostAddress());
                    } catch (java.net.UnknownHostException e) {
                        result.add("ip:" + value);
                    }
                }
            }
        }
        return result;
    }

    private static void requireMatchingKey(PublicKey publicKey, PrivateKey privateKey, Path file) throws GeneralSecurityException {
        if (!(publicKey instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 384) {
            throw new GeneralSecurityException(file + " does not hold an ECDSA P-384 certificate");
        }
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        java.security.Signature s = java.security.Signature.getInstance(SIGNATURE);
        s.initSign(privateKey);
        s.update(probe);
        byte[] signature = s.sign();
        s.initVerify(publicKey);
        s.update(probe);
        if (!s.verify(signature)) {
            throw new GeneralSecurityException("the key beside " + file + " does not belong to its certificate");
        }
    }

    /** Key generation for P-384 (JDK provider). */
    public static final class Keys {
        private Keys() {
        }

        public static KeyPair generateP384() {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp384r1"), new SecureRandom());
                return generator.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this JDK cannot generate P-384 keys", e);
            }
        }
    }
}
