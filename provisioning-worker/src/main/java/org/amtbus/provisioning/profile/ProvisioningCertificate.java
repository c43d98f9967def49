package org.amtbus.provisioning.profile;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A domain's provisioning certificate opened from its .pfx (PKCS#12, the JDK's {@code KeyStore}): the RSA
 * private key and the chain ordered leaf -> intermediate(s) -> root, as {@code AddNextCertInChain} wants.
 *
 * <p>Invariants: 2 to {@value #MAX_CHAIN} certificates; each is signed by the next; the last is
 * self-signed; the key is RSA and belongs to the leaf. {@link #toString()} names the leaf only; the key
 * never leaves this object except to sign. Parsing errors say what is wrong without the password.
 */
public final class ProvisioningCertificate {

    /** AMT accepts at most four certificates in the chain. */
    public static final int MAX_CHAIN = 4;

    private final PrivateKey key;
    private final List<X509Certificate> leafToRoot;

    private ProvisioningCertificate(PrivateKey key, List<X509Certificate> leafToRoot) {
        this.key = key;
        this.leafToRoot = List.copyOf(leafToRoot);
    }

    /**
     * Opens a .pfx with its password.
     *
     * @throws IllegalArgumentException when it cannot be opened, has no RSA key entry, or its chain is
     *                                  incomplete, out of order or too long
     */
    public static ProvisioningCertificate fromPkcs12(byte[] pfx, char[] password) {
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(pfx), password);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the .pfx cannot be opened (not PKCS#12, or a wrong password)");
        }
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) {
                    continue;
                }
                Key key = store.getKey(alias, password);
                if (!(key instanceof PrivateKey privateKey) || !"RSA".equals(key.getAlgorithm())) {
                    continue;
                }
                Certificate[] chain = store.getCertificateChain(alias);
                List<X509Certificate> certificates = new ArrayList<>();
                for (Certificate c : chain == null ? new Certificate[0] : chain) {
                    certificates.add((X509Certificate) c);
                }
                // a .pfx may hold further CA certificates outside the key entry's chain
                for (String other : Collections.list(store.aliases())) {
                    if (store.isCertificateEntry(other) && store.getCertificate(other) instanceof X509Certificate x) {
                        certificates.add(x);
                    }
                }
                return of(privateKey, certificates);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the .pfx's key cannot be read with the given password");
        }
        throw new IllegalArgumentException("the .pfx holds no RSA private key entry");
    }

    /** Orders {@code certificates} (any order, duplicates ignored) from the key's leaf to a self-signed root. */
    public static ProvisioningCertificate of(PrivateKey key, Collection<X509Certificate> certificates) {
        if (!(key instanceof RSAKey rsa)) {
            throw new IllegalArgumentException("the provisioning key must be RSA");
        }
        List<X509Certificate> pool = new ArrayList<>(certificates);
        X509Certificate leaf = pool.stream()
                .filter(c -> c.getPublicKey() instanceof RSAKey pub && pub.getModulus().equals(rsa.getModulus()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the .pfx holds no certificate for its private key"));
        List<X509Certificate> chain = new ArrayList<>(List.of(leaf));
        X509Certificate current = leaf;
        while (!selfSigned(current)) {
            X509Certificate at = current;
            X509Certificate issuer = pool.stream()
                    .filter(c -> !c.equals(at) && c.getSubjectX500Principal().equals(at.getIssuerX500Principal())
                            && verifies(at, c))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("the chain is incomplete: no issuer for "
                            + at.getSubjectX500Principal().getName() + " in the .pfx"));
            chain.add(issuer);
            if (chain.size() > MAX_CHAIN) {
                throw new IllegalArgumentException("the chain has more than " + MAX_CHAIN + " certificates (AMT's limit)");
            }
            current = issuer;
        }
        if (chain.size() < 2) {
            throw new IllegalArgumentException("the provisioning certificate must be issued by a CA, not self-signed");
        }
        return new ProvisioningCertificate(key, chain);
    }

    /** Signs AdminSetup; stays inside this object otherwise. */
    public PrivateKey key() {
        return key;
    }

    public List<X509Certificate> leafToRoot() {
        return leafToRoot;
    }

    public X509Certificate leaf() {
        return leafToRoot.get(0);
    }

    public X509Certificate root() {
        return leafToRoot.get(leafToRoot.size() - 1);
    }

    /** The root's SHA-256 fingerprint, lowercase hex. */
    public String rootSha256() {
        return fingerprint("SHA-256", root());
    }

    /** The root's SHA-1 fingerprint, lowercase hex (older firmware lists SHA-1 hashes). */
    public String rootSha1() {
        return fingerprint("SHA-1", root());
    }

    /** True when the device's trusted root hashes (hex, any case) hold this root's SHA-256 or SHA-1. */
    public boolean rootTrustedBy(Collection<String> trustedRootHashes) {
        Set<String> hashes = trustedRootHashes.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        return hashes.contains(rootSha256()) || hashes.contains(rootSha1());
    }

    /** When the first certificate of the chain expires. */
    public Instant expiresAt() {
        return leafToRoot.stream().map(c -> c.getNotAfter().toInstant()).min(Instant::compareTo).orElseThrow();
    }

    /** True when the leaf's CN or a DNS SAN is the suffix or ends with {@code .suffix} (what firmware checks). */
    public boolean coversSuffix(String dnsSuffix) {
        String suffix = dnsSuffix.toLowerCase(Locale.ROOT);
        List<String> names = new ArrayList<>();
        String subject = leaf().getSubjectX500Principal().getName();
        for (String rdn : subject.split(",")) {
            if (rdn.trim().toUpperCase(Locale.ROOT).startsWith("CN=")) {
                names.add(rdn.trim().substring(3));
            }
        }
        try {
            Collection<List<?>> sans = leaf().getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        names.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (GeneralSecurityException e) {
            // no readable SANs: the CN decides
        }
        return names.stream().map(n -> n.toLowerCase(Locale.ROOT))
                .anyMatch(n -> n.equals(suffix) || n.endsWith("." + suffix));
    }

    private static boolean selfSigned(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal()) && verifies(c, c);
    }

    private static boolean verifies(X509Certificate subject, X509Certificate issuer) {
        try {
            subject.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static String fingerprint(String algorithm, X509Certificate c) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(c.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is not available", e);
        }
    }

    @Override
    public String toString() {
        return "ProvisioningCertificate[leaf=" + leaf().getSubjectX500Principal().getName() + ", chain=" + leafToRoot.size()
                + ", key=[hidden]]";
    }
}
