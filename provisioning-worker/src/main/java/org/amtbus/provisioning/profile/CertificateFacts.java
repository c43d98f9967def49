package org.amtbus.provisioning.profile;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;

/** What anyone may see of one certificate of a domain's chain: names, SHA-256 fingerprint, validity. Never the key. */
public record CertificateFacts(String subject, String issuer, String sha256, Instant notBefore, Instant notAfter) {

    public static CertificateFacts of(X509Certificate c) {
        try {
            return new CertificateFacts(c.getSubjectX500Principal().getName(), c.getIssuerX500Principal().getName(),
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded())),
                    c.getNotBefore().toInstant(), c.getNotAfter().toInstant());
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint a certificate", e);
        }
    }
}
