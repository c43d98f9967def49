package org.amtbus.platform.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Real TLS handshakes on loopback against servers built by {@link TlsContexts}. */
class TlsContextsTest {

    @TempDir
    Path dir;

    private CertificateAuthority ca;
    private IssuedCertificate server;
    private EventLoopGroup group;

    @BeforeEach
    void setUp() throws Exception {
        ca = CertificateAuthority.loadOrCreate(dir, Clock.systemUTC());
        server = ca.issueServer("server", List.of("localhost"), List.of(InetAddress.getByName("127.0.0.1")),
                CertificateAuthority.SERVICE_VALIDITY);
        group = new NioEventLoopGroup(1);
    }

    @AfterEach
    void tearDown() {
        group.shutdownGracefully().syncUninterruptibly();
    }

    private SslContext context;

    private int serve(TlsPolicy policy) {
        return serve(policy, SslProvider.JDK);
    }

    private int serve(TlsPolicy policy, SslProvider provider) {
        context = TlsContexts.serverContext(server, policy, Optional.empty(), provider);
        Channel channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(context.newHandler(ch.alloc()));
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    private SSLSocket client(int port, String protocol, String... suites) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, TlsContexts.trustManagerFactory(ca.certificate()).getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.setEnabledProtocols(new String[] {protocol});
        if (suites.length > 0) {
            socket.setEnabledCipherSuites(suites);
        }
        return socket;
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void modernPolicyNegotiatesTls13WithOurP384Certificate(SslProvider provider) throws Exception {
        int port = serve(TlsPolicy.MODERN, provider);
        try (SSLSocket socket = client(port, "TLSv1.3")) {
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(server.certificate());
        }
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void modernPolicyRefusesTls12(SslProvider provider) throws Exception {
        int port = serve(TlsPolicy.MODERN, provider);
        try (SSLSocket socket = client(port, "TLSv1.2")) {
            assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void ciraPolicyAcceptsTls12WithAnEcdheAeadSuiteOnly(SslProvider provider) throws Exception {
        int port = serve(TlsPolicy.CIRA, provider);
        try (SSLSocket socket = client(port, "TLSv1.2")) {
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(socket.getSession().getCipherSuite()).startsWith("TLS_ECDHE_ECDSA_WITH_").containsAnyOf("GCM", "CHACHA20");
        }
        // no CBC (non-AEAD) suite is accepted on TLS 1.2, whichever the key exchange
        for (String cbc : List.of("TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA")) {
            try (SSLSocket socket = client(port, "TLSv1.2", cbc)) {
                assertThatThrownBy(socket::startHandshake).as(cbc).isInstanceOf(SSLHandshakeException.class);
            }
        }
        try (SSLSocket socket = client(port, "TLSv1.3")) {
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void ciraPolicyRefusesTls11AndTls10(SslProvider provider) throws Exception {
        int port = serve(TlsPolicy.CIRA, provider);
        for (String old : List.of("TLSv1.1", "TLSv1")) {
            try (SSLSocket socket = client(port, old)) {
                assertThatThrownBy(socket::startHandshake).as(old).isInstanceOf(javax.net.ssl.SSLException.class);
            }
        }
    }

    @Test
    void automaticChoiceIsOpenSslOnThisPlatformAndTheChoiceIsReallyUsed() {
        // the Linux natives are on the class path: if BoringSSL does not load here, the storm target is out of reach
        assertThat(OpenSsl.isAvailable()).as("BoringSSL loads: %s", OpenSsl.unavailabilityCause()).isTrue();
        assertThat(TlsProviderChoice.AUTO.resolve()).isEqualTo(SslProvider.OPENSSL);
        assertThat(TlsProviderChoice.OPENSSL.resolve()).isEqualTo(SslProvider.OPENSSL);
        assertThat(TlsProviderChoice.JDK.resolve()).isEqualTo(SslProvider.JDK);
        assertThat(TlsContexts.serverContext(server, TlsPolicy.CIRA, Optional.empty(), SslProvider.OPENSSL)
                .sessionContext()).isInstanceOf(OpenSslSessionContext.class);
        assertThat(TlsContexts.serverContext(server, TlsPolicy.CIRA, Optional.empty(), SslProvider.JDK)
                .sessionContext()).isNotInstanceOf(OpenSslSessionContext.class);
    }

    @Test
    void anUnknownProviderNameIsRefusedWithTheAcceptedValues() {
        assertThat(TlsProviderChoice.parse(" OpenSSL ")).isEqualTo(TlsProviderChoice.OPENSSL);
        assertThatThrownBy(() -> TlsProviderChoice.parse("boringssl")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'boringssl' is not a TLS provider: use auto, openssl or jdk");
    }

    @Test
    void aReturningTls12ClientResumesUnderOpenSsl() throws Exception {
        int port = serve(TlsPolicy.CIRA, SslProvider.OPENSSL);
        SSLContext returning = SSLContext.getInstance("TLS");
        returning.init(null, TlsContexts.trustManagerFactory(ca.certificate()).getTrustManagers(), null);
        long first;
        try (SSLSocket socket = (SSLSocket) returning.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.startHandshake();
            first = socket.getSession().getCreationTime();
        }
        try (SSLSocket socket = (SSLSocket) returning.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.startHandshake();
            assertThat(socket.getSession().getCreationTime()).as("the client resumed its session").isEqualTo(first);
        }
        var stats = ((OpenSslSessionContext) context.sessionContext()).stats();
        assertThat(stats.hits() + stats.ticketKeyResume()).as("the server resumed a session").isPositive();
    }

    @Test
    void aClientTrustingOnlyOurCaRefusesAServerFromAnotherCa(@TempDir Path otherDir) throws Exception {
        CertificateAuthority other = CertificateAuthority.loadOrCreate(otherDir, Clock.systemUTC());
        server = other.issueServer("impostor", List.of("localhost"), List.of(InetAddress.getByName("127.0.0.1")),
                CertificateAuthority.SERVICE_VALIDITY);
        int port = serve(TlsPolicy.MODERN);
        try (SSLSocket socket = client(port, "TLSv1.3")) {
            assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class);
        }
    }
}
