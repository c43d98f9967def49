package org.amtbus.bench.e2e;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client side of the bare TLS baseline: opens connections and completes TLS handshakes only, at most
 * {@code inFlight} at once (as {@link PacedFleet} does for the simulated machines), and holds them open.
 */
final class TlsDialer implements AutoCloseable {

    private final EventLoopGroup group = new NioEventLoopGroup(2);
    private final List<Channel> open = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Channel> ignored = new ConcurrentLinkedQueue<>();
    final AtomicLong failed = new AtomicLong();

    /** Dials {@code count} connections; returns when all have completed their handshake (or failed). */
    void dial(SslContext tls, InetSocketAddress target, int count, int inFlight) throws InterruptedException {
        Semaphore slots = new Semaphore(inFlight);
        AtomicLong done = new AtomicLong();
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc())).addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                if (evt instanceof SslHandshakeCompletionEvent e) {
                                    if (e.isSuccess()) {
                                        open.add(ctx.channel());
                                    } else {
                                        failed.incrementAndGet();
                                        ctx.close();
                                    }
                                    done.incrementAndGet();
                                    slots.release();
                                }
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close();
                            }
                        });
                    }
                });
        for (int i = 0; i < count; i++) {
            slots.acquire();
            bootstrap.connect(target).addListener(f -> {
                if (!f.isSuccess()) {
                    failed.incrementAndGet();
                    done.incrementAndGet();
                    slots.release();
                }
            });
        }
        if (!slots.tryAcquire(inFlight, 120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("handshakes still unfinished after 120 s: " + (count - done.get()));
        }
    }

    int openCount() {
        return open.size();
    }

    /** Closes every connection and waits for it. */
    void closeAll() {
        for (Channel c : open) {
            c.close().syncUninterruptibly();
        }
        open.clear();
    }

    @Override
    public void close() {
        closeAll();
        ignored.clear();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
