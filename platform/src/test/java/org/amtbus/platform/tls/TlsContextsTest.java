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
import io.netty.handler.ssl.SslContext;
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

    private int serve(TlsPolicy policy) {
        SslContext context = TlsContexts.serverContext(server, policy, Optional.empty());
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

    @Test
    void modernPolicyNegotiatesTls13WithOurP384Certificate() throws Exception {
        int port = serve(TlsPolicy.MODERN);
        try (SSLSocket socket = client(port, "TLSv1.3")) {
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(server.certificate());
        }
    }

    @Test
    void modernPolicyRefusesTls12() throws Exception {
        int port = serve(TlsPolicy.MODERN);
        try (SSLSocket socket = client(port, "TLSv1.2")) {
            assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void ciraPolicyAcceptsTls12WithAnEcdheAeadSuiteOnly() throws Exception {
        int port = serve(TlsPolicy.CIRA);
        try (SSLSocket socket = client(port, "TLSv1.2")) {
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(socket.getSession().getCipherSuite()).startsWith("TLS_ECDHE_ECDSA_WITH_").containsAnyOf("GCM", "CHACHA20");
        }
        // a CBC suite is not offered even on TLS 1.2
        try (SSLSocket socket = client(port, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384")) {
            assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class);
        }
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
