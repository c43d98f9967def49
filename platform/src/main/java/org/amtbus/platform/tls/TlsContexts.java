package org.amtbus.platform.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The one place TLS contexts are built, so versions, suites and provider are decided once
 * (see docs/decisions/0002-tls-provider.md).
 */
public final class TlsContexts {

    private TlsContexts() {
    }

    /** Resumed sessions (tickets, session ids) are honoured this long after the full handshake. */
    public static final java.time.Duration SESSION_LIFETIME = java.time.Duration.ofHours(1);

    /**
     * A server context presenting {@code identity} with the JDK's TLS; with {@code clientCa} present, clients must
     * show a certificate issued by it (mutual TLS).
     */
    public static SslContext serverContext(IssuedCertificate identity, TlsPolicy policy, Optional<X509Certificate> clientCa) {
        return serverContext(identity, policy, clientCa, SslProvider.JDK);
    }

    /**
     * The same with {@code provider} ({@link TlsProviderChoice#resolve()}). Under OpenSSL the context also issues
     * session tickets, with keys drawn at random when it is built and kept in memory only, so a machine that
     * returns within {@link #SESSION_LIFETIME} to the same process may resume instead of a full P-384 handshake.
     * The JDK provider resumes on its own (session cache and stateless tickets are on by default).
     */
    public static SslContext serverContext(IssuedCertificate identity, TlsPolicy policy, Optional<X509Certificate> clientCa,
                                           SslProvider provider) {
        try {
            SslContextBuilder builder = SslContextBuilder
                    .forServer(identity.privateKey(), identity.chain().toArray(X509Certificate[]::new))
                    .sslProvider(provider)
                    .protocols(policy.protocols())
                    .ciphers(policy.cipherSuites())
                    .sessionTimeout(SESSION_LIFETIME.toSeconds());
            if (clientCa.isPresent()) {
                builder.trustManager(clientCa.get()).clientAuth(ClientAuth.REQUIRE);
            }
            SslContext context = builder.build();
            if (context.sessionContext() instanceof OpenSslSessionContext sessions) {
                sessions.setTicketKeys(randomTicketKey());
            }
            return context;
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build a TLS server context: " + e.getMessage(), e);
        }
    }

    private static OpenSslSessionTicketKey randomTicketKey() {
        SecureRandom random = new SecureRandom();
        byte[] name = new byte[OpenSslSessionTicketKey.NAME_SIZE];
        byte[] hmac = new byte[OpenSslSessionTicketKey.HMAC_KEY_SIZE];
        byte[] aes = new byte[OpenSslSessionTicketKey.AES_KEY_SIZE];
        random.nextBytes(name);
        random.nextBytes(hmac);
        random.nextBytes(aes);
        return new OpenSslSessionTicketKey(name, hmac, aes);
    }

    /** A client context that trusts only {@code trustAnchor}, optionally presenting a client certificate. */
    public static SslContext clientContext(X509Certificate trustAnchor, TlsPolicy policy, Optional<IssuedCertificate> identity) {
        return clientContext(trustAnchor, policy, identity, SslProvider.JDK);
    }

    /** The same on {@code provider} (simulated fleets use BoringSSL so the load generator costs less CPU). */
    public static SslContext clientContext(X509Certificate trustAnchor, TlsPolicy policy, Optional<IssuedCertificate> identity,
                                           SslProvider provider) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient()
                    .sslProvider(provider)
                    .protocols(policy.protocols())
                    .ciphers(policy.cipherSuites())
                    .trustManager(trustAnchor);
            identity.ifPresent(id -> builder.keyManager(id.privateKey(), id.chain().toArray(X509Certificate[]::new)));
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build a TLS client context: " + e.getMessage(), e);
        }
    }

    /** A JDK server context presenting {@code identity} (for servers built on the JDK's TLS, such as the HTTPS API). */
    public static javax.net.ssl.SSLContext jdkServerContext(IssuedCertificate identity) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] transientPassword = new char[0];
            store.setKeyEntry("identity", identity.privateKey(), transientPassword,
                    identity.chain().toArray(X509Certificate[]::new));
            javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                    javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, transientPassword);
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLSv1.3");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build a TLS server context: " + e.getMessage(), e);
        }
    }

    /** A JDK trust manager factory trusting only {@code trustAnchor} (for clients built on the JDK's TLS). */
    public static TrustManagerFactory trustManagerFactory(X509Certificate trustAnchor) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("amtbus-ca", trustAnchor);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return tmf;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build a trust manager: " + e.getMessage(), e);
        }
    }
}
