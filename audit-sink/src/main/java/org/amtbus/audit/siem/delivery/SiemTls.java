package org.amtbus.audit.siem.delivery;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.amtbus.platform.tls.IssuedCertificate;
import org.amtbus.platform.tls.TlsContexts;
import org.amtbus.platform.tls.TlsPolicy;

/**
 * TLS of the SIEM clients (syslog over TLS, HTTPS): built by {@link TlsContexts} with
 * {@link TlsPolicy#MODERN} (TLS 1.3 only), trusting only {@code trustAnchor}, optionally presenting a
 * client certificate (mutual TLS), and always checking the receiver's name against its certificate.
 * The private key never leaves the {@link IssuedCertificate}; {@link #toString()} names no key.
 */
public record SiemTls(X509Certificate trustAnchor, Optional<IssuedCertificate> clientCertificate) {

    public SiemTls {
        Objects.requireNonNull(trustAnchor, "trustAnchor");
        Objects.requireNonNull(clientCertificate, "clientCertificate");
    }

    SSLContext context() {
        SslContext netty = TlsContexts.clientContext(trustAnchor, TlsPolicy.MODERN, clientCertificate);
        if (!(netty instanceof JdkSslContext jdk)) {
            throw new IllegalStateException("TlsContexts built a non-JDK context; the SIEM clients need the JDK's TLS");
        }
        return jdk.context();
    }

    /** TLS 1.3 suites of {@link TlsPolicy#MODERN} and host name verification. */
    static SSLParameters parameters() {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(TlsPolicy.MODERN.protocols().toArray(String[]::new));
        parameters.setCipherSuites(TlsPolicy.MODERN.cipherSuites().toArray(String[]::new));
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        return parameters;
    }

    @Override
    public String toString() {
        return "SiemTls[trustAnchor=" + trustAnchor.getSubjectX500Principal().getName() + ", clientCertificate="
                + clientCertificate.map(c -> c.certificate().getSubjectX500Principal().getName()).orElse("none") + "]";
    }
}
