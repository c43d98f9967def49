package org.amtbus.bench.e2e;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.amtbus.platform.tls.CertificateAuthority;
import org.amtbus.platform.tls.IssuedCertificate;
import org.amtbus.platform.tls.TlsContexts;
import org.amtbus.platform.tls.TlsPolicy;

/**
 * The CIRA baseline, run in a JVM of its own: a Netty server with the gateway's TLS settings (the {@code CIRA} policy,
 * the provider the gateway is measured with, a P-384 certificate from the node's CA) that completes handshakes and holds the connections,
 * doing nothing else - no APF, no authentication, no lease. What the gateway costs beyond it is ours.
 * {@code BareTlsServer TLS_DIR PORT [auto|jdk|openssl]} (the TLS provider, as the node's cira.tlsProvider); prints "ready" when it listens.
 */
public final class BareTlsServer {

    private BareTlsServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path tlsDir = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(tlsDir, Clock.systemUTC());
        IssuedCertificate cert = ca.issueServer("bare-tls", List.of("localhost"), List.of(InetAddress.getLoopbackAddress()),
                Duration.ofDays(1));
        SslContext tls = TlsContexts.serverContext(cert, TlsPolicy.CIRA, Optional.empty(),
                org.amtbus.platform.tls.TlsProviderChoice.parse(args.length > 2 ? args[2] : "jdk").resolve());
        AtomicLong handshakes = new AtomicLong();
        EventLoopGroup boss = new NioEventLoopGroup(1);
        EventLoopGroup workers = new NioEventLoopGroup();
        new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc())).addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                if (evt instanceof SslHandshakeCompletionEvent e && e.isSuccess()) {
                                    handshakes.incrementAndGet();
                                }
                                ctx.fireUserEventTriggered(evt);
                            }

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ReferenceCountUtil.release(msg);
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close();
                            }
                        });
                    }
                })
                .bind(InetAddress.getLoopbackAddress(), port).sync();
        System.out.println("ready");
        System.out.flush();
        Thread.currentThread().join();
    }
}
