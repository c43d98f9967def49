package org.amtbus.sim.amt;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.amtbus.wsman.activation.ChainReturn;

/**
 * The provisioning certificate chain as firmware collects it through {@code AddNextCertInChain}: leaf
 * first, each next certificate the issuer of the one before, the root last, at most
 * {@link #MAX_CERTIFICATES}. Each certificate is checked as it arrives: it must parse (else 1), come in
 * order (else 3), not exceed the length (else 5), be valid at the device's time, be the signer of the
 * previous one, and for the root be self-signed with a SHA-256 (or SHA-1/SHA-384) fingerprint among the
 * device's trusted root hashes (else 4). Any refusal discards the chain; a certificate flagged as leaf
 * starts a new one. Guarded by the device's monitor.
 */
final class ProvisioningChain {
    static final int MAX_CERTIFICATES = 4;

    /** A ChainReturn code and, unless it is 0, why. */
    record Check(int code, ProvisioningRefusal refusal) {
        static final Check OK = new Check(ChainReturn.SUCCESS, null);
    }

    private final List<X509Certificate> certificates = new ArrayList<>();
    private boolean complete;

    Check add(byte[] der, boolean leaf, boolean root, Set<String> trustedRootHashes, Instant now) {
        if (leaf) {
            reset();
        } else if (certificates.isEmpty() || complete) {
            return refuse(ChainReturn.INVALID_STATE, ProvisioningRefusal.CHAIN_OUT_OF_ORDER);
        }
        X509Certificate cert;
        try {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            return refuse(ChainReturn.INVALID_PARAMETER, ProvisioningRefusal.INVALID_PARAMETER);
        }
        if (certificates.size() >= MAX_CERTIFICATES) {
            return refuse(ChainReturn.CHAIN_TOO_LONG, ProvisioningRefusal.CHAIN_TOO_LONG);
        }
        try {
            cert.checkValidity(Date.from(now));
        } catch (CertificateException e) {
            return refuse(ChainReturn.CERTIFICATE_VERIFY_FAILED, ProvisioningRefusal.CERTIFICATE_NOT_VALID_NOW);
        }
        if (!certificates.isEmpty() && !issued(certificates.getLast(), cert)) {
            return refuse(ChainReturn.CERTIFICATE_VERIFY_FAILED, ProvisioningRefusal.BROKEN_CHAIN);
        }
        if (root) {
            if (!issued(cert, cert)) {
                return refuse(ChainReturn.CERTIFICATE_VERIFY_FAILED, ProvisioningRefusal.BROKEN_CHAIN);
            }
            if (!trusted(cert, trustedRootHashes)) {
                return refuse(ChainReturn.CERTIFICATE_VERIFY_FAILED, ProvisioningRefusal.UNKNOWN_ROOT);
            }
        }
        certificates.add(cert);
        complete = root;
        return Check.OK;
    }

    /** 0 not started, 1 in progress, 2 complete: {@code IPS_HostBasedSetupService.CertChainStatus}. */
    int status() {
        return complete ? 2 : certificates.isEmpty() ? 0 : 1;
    }

    boolean complete() {
        return complete;
    }

    X509Certificate leaf() {
        return certificates.getFirst();
    }

    void reset() {
        certificates.clear();
        complete = false;
    }

    /** True when the leaf's CN or a DNS SAN is the suffix or ends with {@code .suffix} (case-insensitive). */
    boolean leafMatches(String dnsSuffix) {
        String suffix = dnsSuffix.toLowerCase(Locale.ROOT);
        return leafNames().stream().map(n -> n.toLowerCase(Locale.ROOT))
                .anyMatch(n -> n.equals(suffix) || n.endsWith("." + suffix));
    }

    private List<String> leafNames() {
        List<String> names = new ArrayList<>();
        X509Certificate leaf = leaf();
        try {
            for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    names.add(String.valueOf(rdn.getValue()));
                }
            }
        } catch (InvalidNameException e) {
            // an unparsable subject contributes no name
        }
        try {
            if (leaf.getSubjectAlternativeNames() != null) {
                for (List<?> san : leaf.getSubjectAlternativeNames()) {
                    if (san.size() == 2 && Integer.valueOf(2).equals(san.get(0)) && san.get(1) instanceof String dns) {
                        names.add(dns);
                    }
                }
            }
        } catch (CertificateException e) {
            // unreadable SANs contribute no name
        }
        return names;
    }

    private Check refuse(int code, ProvisioningRefusal why) {
        reset();
        return new Check(code, why);
    }

    private static boolean issued(X509Certificate subject, X509Certificate issuer) {
        if (!subject.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        try {
            subject.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static boolean trusted(X509Certificate root, Set<String> trustedRootHashes) {
        for (String algorithm : List.of("SHA-256", "SHA-1", "SHA-384")) {
            try {
                String hex = HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(root.getEncoded()));
                if (trustedRootHashes.contains(hex)) {
                    return true;
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK has " + algorithm, e);
            }
        }
        return false;
    }
}
