package org.amtbus.gateway.cira;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.amtbus.apf.ApfDecoder;
import org.amtbus.platform.tls.TlsProviderChoice;
import org.amtbus.apf.ApfEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CIRA listener: TLS (the {@code CIRA} policy: TLS 1.3, and 1.2 with ECDHE and AEAD suites for older
 * firmware), then APF. A connection that sends nothing for {@code idleTimeout} is closed (MPS and
 * MeshCentral use 90 s; we ask devices for a 30 s keep-alive). TCP_NODELAY is on: APF exchanges are small
 * request/response messages. Logins are admitted a bounded number at a time ({@link LoginAdmission}): in a
 * reconnect storm the rest wait before TLS instead of all handshaking at once and timing out.
 */
public final class CiraServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CiraServer.class);
    private static final ApfEncoder ENCODER = new ApfEncoder();

    /**
     * Protection of the listener.
     *
     * @param idleTimeout      a connection that sends nothing this long is closed (MPS: 90 s)
     * @param handshakeTimeout the TLS handshake must complete within this (slow-loris)
     * @param authTimeout      the device must have logged in this long after connecting
     * @param maxConnections   connections held at once; more are closed before TLS
     * @param maxPerAddress    connections from one source address (a site's NAT may hold many machines)
     * @param maxConcurrentLogins connections logging in (TLS, APF, password check) at once; more wait their turn
     *                         before TLS ({@link LoginAdmission})
     * @param maxWaitingLogins connections waiting for their turn; more are closed at once
     * @param loginQueueWait   a connection that waited this long is closed instead of let in (its device gives up soon)
     */
    public record Limits(Duration idleTimeout, Duration handshakeTimeout, Duration authTimeout, int maxConnections,
                         int maxPerAddress, int backlog, int maxConcurrentLogins, int maxWaitingLogins,
                         Duration loginQueueWait) {
        /** Logins at once by default: 16 per core, at least 64 (a login waits on the network and the secret store). */
        public static final int DEFAULT_CONCURRENT_LOGINS = Math.max(64, 16 * Runtime.getRuntime().availableProcessors());
        public static final int DEFAULT_WAITING_LOGINS = 10_000;
        public static final Duration DEFAULT_LOGIN_QUEUE_WAIT = Duration.ofSeconds(5);

        /** The limits with the default login admission. */
        public Limits(Duration idleTimeout, Duration handshakeTimeout, Duration authTimeout, int maxConnections,
                      int maxPerAddress, int backlog) {
            this(idleTimeout, handshakeTimeout, authTimeout, maxConnections, maxPerAddress, backlog,
                    DEFAULT_CONCURRENT_LOGINS, DEFAULT_WAITING_LOGINS, DEFAULT_LOGIN_QUEUE_WAIT);
        }

        public static Limits defaults() {
            return new Limits(Duration.ofSeconds(90), Duration.ofSeconds(10), Duration.ofSeconds(30), 50_000, 1_000, 4096);
        }

        /** The same limits with another login admission. */
        public Limits withLoginAdmission(int concurrent, int waiting, Duration wait) {
            return new Limits(idleTimeout, handshakeTimeout, authTimeout, maxConnections, maxPerAddress, backlog,
                    concurrent, waiting, wait);
        }
    }

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel listener;
    private final SslProvider tlsProvider;

    private CiraServer(EventLoopGroup boss, EventLoopGroup workers, Channel listener, SslProvider tlsProvider) {
        this.boss = boss;
        this.workers = workers;
        this.listener = listener;
        this.tlsProvider = tlsProvider;
    }

    /**
     * Binds and starts serving.
     *
     * @param address where to listen; port 0 picks a free one
     * @throws IllegalStateException if the address cannot be bound
     */
    public static CiraServer start(InetSocketAddress address, SslContext tls, CiraServices services, Limits limits) {
        Objects.requireNonNull(tls);
        Objects.requireNonNull(services);
        ConnectionLimiter limiter = new ConnectionLimiter(limits.maxConnections(), limits.maxPerAddress(), services.metrics());
        LoginAdmission admission = new LoginAdmission(limits.maxConcurrentLogins(), limits.maxWaitingLogins(),
                limits.loginQueueWait(), services.metrics(), ch -> {
                    var sslHandler = tls.newHandler(ch.alloc());
                    sslHandler.setHandshakeTimeoutMillis(limits.handshakeTimeout().toMillis());
                    ch.pipeline()
                            .addLast("tls", sslHandler)
                            .addLast("idle", new IdleStateHandler(limits.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS))
                            .addLast("apf-decoder", new ApfDecoder())
                            .addLast("apf-encoder", ENCODER)
                            .addLast("session", new CiraConnection(services, limits.authTimeout()));
                });
        EventLoopGroup boss = new NioEventLoopGroup(1);
        EventLoopGroup workers = new NioEventLoopGroup();
        try {
            ServerBootstrap bootstrap = new ServerBootstrap().group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, limits.backlog())
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            // TLS and the rest are added by the admission once it is this connection's turn to log in
                            ch.pipeline().addLast("limits", limiter).addLast("admission", admission);
                        }
                    });
            Channel listener = bootstrap.bind(address).syncUninterruptibly().channel();
            SslProvider provider = TlsProviderChoice.providerOf(tls);
            LOG.info("CIRA listener ready [address: {}, gateway: {}, tls: {}]", listener.localAddress(), services.gateway(),
                    TlsProviderChoice.describe(provider));
            return new CiraServer(boss, workers, listener, provider);
        } catch (RuntimeException e) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot listen for CIRA on " + address + ": " + e.getMessage(), e);
        }
    }

    /** The TLS implementation the listener handshakes with. */
    public SslProvider tlsProvider() {
        return tlsProvider;
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Stops accepting and closes every device connection. */
    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        workers.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
