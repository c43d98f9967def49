package org.amtbus.gateway.cira;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The login admission queue over real TCP: a bounded number of logins at once, the rest wait unread and are let in
 * in order as logins end, overflow and over-long waits are closed and counted. The "login" here is a stand-in
 * handler that echoes what it reads and ends the login on a {@code D}.
 */
class LoginAdmissionTest {

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final List<Channel> started = new CopyOnWriteArrayList<>();
    private EventLoopGroup group;
    private Channel listener;
    private LoginAdmission admission;

    private int serve(int inProgress, int waiting, Duration maxWait) {
        group = new NioEventLoopGroup(2);
        admission = new LoginAdmission(inProgress, waiting, maxWait, metrics, ch -> {
            started.add(ch);
            ch.pipeline().addLast(new EchoLogin());
        });
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("admission", admission);
                    }
                }).bind(InetAddress.getLoopbackAddress(), 0).syncUninterruptibly().channel();
        return ((java.net.InetSocketAddress) listener.localAddress()).getPort();
    }

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Echoes; a {@code D} ends the login (as the password verdict does in the gateway). */
    private static final class EchoLogin extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
            String text = msg.toString(StandardCharsets.US_ASCII);
            ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(text.getBytes(StandardCharsets.US_ASCII)));
            if (text.contains("D")) {
                LoginAdmission.loginDone(ctx.channel());
            }
        }
    }

    /** Dials and waits until the server holds the connection: logging in if there is room. */
    private Socket dial(int port) throws IOException {
        int before = started.size();
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(5_000);
        await().until(() -> started.size() > before || admission.waitingCount() > 0);
        return s;
    }

    /** Dials and waits until the connection is queued as the {@code nth} waiting one. */
    private Socket dialAndWait(int port, int nth) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(5_000);
        await().until(() -> admission.waitingCount() == nth);
        return s;
    }

    private static String send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return read(s, text.length());
    }

    private static String read(Socket s, int n) throws IOException {
        byte[] buf = new byte[n];
        int got = 0;
        InputStream in = s.getInputStream();
        while (got < n) {
            int r = in.read(buf, got, n - got);
            if (r < 0) {
                throw new IOException("closed by the server after " + got + " bytes");
            }
            got += r;
        }
        return new String(buf, StandardCharsets.US_ASCII);
    }

    private static boolean closedByServer(Socket s) {
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset: closed too
        }
    }

    private double counter(String reason) {
        return metrics.counter("amtbus.cira.refused", "reason", reason).count();
    }

    @Test
    void waitingConnectionsAreNotReadUntilTheirTurnAndAreThenServedInOrder() throws Exception {
        int port = serve(1, 10, Duration.ofMinutes(1));
        try (Socket a = dial(port); Socket b = dialAndWait(port, 1); Socket c = dialAndWait(port, 2)) {
            // given a is logging in, and b and c arrived after it and speak first (as a TLS client sends its hello)
            b.getOutputStream().write("b".getBytes(StandardCharsets.US_ASCII));
            c.getOutputStream().write("c".getBytes(StandardCharsets.US_ASCII));
            // then they wait: no login handlers, nothing read
            assertThat(started).hasSize(1);
            assertThat(admission.inProgress()).isEqualTo(1);

            // when a's login ends, b is let in and what it sent while waiting is read then
            assertThat(send(a, "D")).isEqualTo("D");
            assertThat(read(b, 1)).isEqualTo("b");
            assertThat(started).hasSize(2);
            assertThat(admission.waitingCount()).isEqualTo(1);

            // and when b goes away before its verdict, its closing lets c in
            b.close();
            assertThat(read(c, 1)).isEqualTo("c");
            assertThat(started).hasSize(3);
            assertThat(send(c, "D")).isEqualTo("D");
            await().until(() -> admission.inProgress() == 0 && admission.waitingCount() == 0);
            // and the logged-in connections stay up after their login
            assertThat(send(a, "x")).isEqualTo("x");
        }
        assertThat(counter("login_queue_full")).isZero();
        assertThat(counter("login_queue_expired")).isZero();
        assertThat(metrics.counter("amtbus.cira.logins.queued").count()).isEqualTo(2);
    }

    @Test
    void beyondTheWaitingBoundConnectionsAreClosedAtOnceAndCounted() throws Exception {
        int port = serve(1, 1, Duration.ofMinutes(1));
        try (Socket a = dial(port); Socket b = dialAndWait(port, 1)) {
            assertThat(send(a, "a")).isEqualTo("a");
            // when a third arrives while one logs in and one waits
            try (Socket c = new Socket(InetAddress.getLoopbackAddress(), port)) {
                c.setSoTimeout(5_000);
                // then it is closed without being served, and counted
                assertThat(closedByServer(c)).isTrue();
            }
            assertThat(counter("login_queue_full")).isEqualTo(1);
            assertThat(started).hasSize(1);
            // and the waiting one is still served
            assertThat(send(a, "D")).isEqualTo("D");
            assertThat(send(b, "b")).isEqualTo("b");
        }
    }

    @Test
    void aConnectionThatWaitedTooLongIsClosedInsteadOfLetIn() throws Exception {
        int port = serve(1, 10, Duration.ofMillis(200));
        try (Socket a = dial(port); Socket b = dialAndWait(port, 1); Socket c = dialAndWait(port, 2)) {
            assertThat(send(a, "a")).isEqualTo("a");
            // given b and c have waited past the limit
            await().pollDelay(Duration.ofMillis(400)).until(() -> true);
            // when a's login ends
            assertThat(send(a, "D")).isEqualTo("D");
            // then both are closed, counted, never handed to the login, and the slot is free again
            assertThat(closedByServer(b)).isTrue();
            assertThat(closedByServer(c)).isTrue();
            assertThat(counter("login_queue_expired")).isEqualTo(2);
            assertThat(started).hasSize(1);
            await().until(() -> admission.inProgress() == 0);
            try (Socket d = dial(port)) {
                assertThat(send(d, "d")).isEqualTo("d");
            }
        }
    }
}
