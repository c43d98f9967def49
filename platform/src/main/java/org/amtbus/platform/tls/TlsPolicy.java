package org.amtbus.platform.tls;

import java.util.List;

/**
 * Which TLS versions and suites a context offers.
 *
 * <p>{@link #MODERN} (TLS 1.3 only) is the default for every listener and client. {@link #CIRA} adds
 * TLS 1.2 with ECDHE key exchange and AEAD ciphers only, because AMT 12+ firmware speaks TLS 1.2 and
 * no AMT is known to speak 1.3.
 */
public enum TlsPolicy {
    MODERN(List.of("TLSv1.3"), List.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256")),
    CIRA(List.of("TLSv1.3", "TLSv1.2"), List.of(
            "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"));

    private final List<String> protocols;
    private final List<String> cipherSuites;

    TlsPolicy(List<String> protocols, List<String> cipherSuites) {
        this.protocols = protocols;
        this.cipherSuites = cipherSuites;
    }

    public List<String> protocols() {
        return protocols;
    }

    public List<String> cipherSuites() {
        return cipherSuites;
    }
}
