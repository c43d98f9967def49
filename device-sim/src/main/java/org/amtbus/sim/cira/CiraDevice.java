package org.amtbus.sim.cira;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.amtbus.apf.ApfDecoder;
import org.amtbus.apf.ApfEncoder;
import org.amtbus.apf.ApfMessage;
import org.amtbus.apf.ApfMessage.*;
import org.amtbus.sim.amt.AmtWebService;
import org.amtbus.sim.amt.ByteSink;
import org.amtbus.sim.amt.SimulatedDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CIRA side of a simulated AMT machine: dials the gateway over TLS and speaks APF as firmware does
 * (amt-protocols.md section 1.3). PROTOCOL_VERSION with its GUID and the auth service request back to
 * back; USERAUTH with its CIRA user name and password; the pfwd service; one {@code tcpip-forward} per
 * port, each after the previous reply; then keep-alives at the interval the server asks for. Behind each
 * channel the gateway opens to a forwarded port is a fresh {@link AmtWebService} session. Flow control:
 * we send no more than the gateway's window (the rest waits for WINDOW_ADJUST) and return window once more
 * than half of ours is consumed, as MPS and MeshCentral do.
 *
 * <p>One instance is one connection attempt; {@link #connected()} completes once the forwards are done
 * (or fails on refusal), {@link #closed()} when the connection ends. State lives on the channel's event loop.
 */
public final class CiraDevice {

    private static final Logger LOG = LoggerFactory.getLogger(CiraDevice.class);
    /** Real firmware's order of forwards, as recorded by MPS. */
    public static final List<Integer> FIRMWARE_PORTS = List.of(16993, 16992, 664, 623, 16995, 16994, 5900);
    /** The window we advertise per channel (the Go LME uses 4096, MPS 32 KiB); AMT's own is unconfirmed. */
    public static final long WINDOW = 32 * 1024;

    private final SimulatedDevice device;
    private final AmtWebService web;
    private final List<Integer> ports;
    private final Set<CiraMisbehaviour> misbehaviours;
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private volatile Channel channel;

    public CiraDevice(SimulatedDevice device, AmtWebService web, List<Integer> ports, Set<CiraMisbehaviour> misbehaviours) {
        this.device = Objects.requireNonNull(device);
        this.web = Objects.requireNonNull(web);
        this.ports = List.copyOf(ports);
        this.misbehaviours = misbehaviours.isEmpty() ? EnumSet.noneOf(CiraMisbehaviour.class) : EnumSet.copyOf(misbehaviours);
    }

    public CiraDevice(SimulatedDevice device, AmtWebService web) {
        this(device, web, FIRMWARE_PORTS, Set.of());
    }

    /** Starts dialling; watch {@link #connected()} and {@link #closed()}. */
    public CiraDevice dial(EventLoopGroup group, SslContext tls, InetSocketAddress gateway) {
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc(), gateway.getHostString(), gateway.getPort()))
                                .addLast(new ApfDecoder()).addLast(new ApfEncoder()).addLast(new Handler());
                    }
                });
        ChannelFuture f = bootstrap.connect(gateway);
        channel = f.channel();
        f.addListener(done -> {
            if (!done.isSuccess()) {
                connected.completeExceptionally(done.cause());
                closed.complete("connect failed: " + done.cause().getMessage());
            }
        });
        return this;
    }

    public SimulatedDevice device() {
        return device;
    }

    public AmtWebService web() {
        return web;
    }

    /** Completes once logged in and forwarding; fails if the gateway refused the login or the link broke first. */
    public CompletableFuture<Void> connected() {
        return connected;
    }

    /** Completes with a reason when the connection is gone. */
    public CompletableFuture<String> closed() {
        return closed;
    }

    /** Ends the connection as a machine that is switched off would: no DISCONNECT, just gone. */
    public void vanish() {
        Channel c = channel;
        if (c != null) {
            c.close();
        }
    }

    /** Ends politely with DISCONNECT (by application), as a device being deprovisioned would. */
    public void disconnect() {
        Channel c = channel;
        if (c != null && c.isActive()) {
            c.writeAndFlush(new Disconnect(Disconnect.BY_APPLICATION)).addListener(x -> c.close());
        }
    }

    private enum Stage { AUTH_SERVICE, USERAUTH, PFWD_SERVICE, FORWARDING, READY, REFUSED }

    /** One channel the gateway opened to us. */
    private static final class ApfChannel {
        final long ours;
        final long peer;
        long sendCredit;
        long consumed;
        boolean closeSent;
        AmtWebService.Session session;
        final ArrayDeque<byte[]> pending = new ArrayDeque<>();
        boolean closeWhenFlushed;

        ApfChannel(long ours, long peer, long sendCredit) {
            this.ours = ours;
            this.peer = peer;
            this.sendCredit = sendCredit;
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<ApfMessage> {
        private ChannelHandlerContext ctx;
        private Stage stage = Stage.AUTH_SERVICE;
        private int nextPort;
        private long nextChannelId = 1;
        private final Map<Long, ApfChannel> channels = new HashMap<>();
        private ScheduledFuture<?> keepAlive;

        Handler() {
            super(ApfMessage.class);
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent hs) {
                if (!hs.isSuccess()) {
                    connected.completeExceptionally(hs.cause());
                    ctx.close();
                    return;
                }
                ctx.write(new ProtocolVersion(1, 0, ProtocolVersion.TRIGGER_PERIODIC, device.guid()));
                ctx.writeAndFlush(new ServiceRequest(ServiceRequest.AUTH));
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ApfMessage message) {
            switch (message) {
                case ServiceAccept m when stage == Stage.AUTH_SERVICE && m.service().equals(ServiceRequest.AUTH) -> {
                    stage = Stage.USERAUTH;
                    byte[] password = misbehaviours.contains(CiraMisbehaviour.WRONG_CIRA_PASSWORD)
                            ? "not-the-password-1A!".getBytes(java.nio.charset.StandardCharsets.UTF_8)
                            : device.ciraPassword().utf8();
                    ctx.writeAndFlush(UserAuthRequest.password(device.ciraUsername(), ServiceRequest.PFWD, password));
                    Arrays.fill(password, (byte) 0);
                }
                case UserAuthSuccess m when stage == Stage.USERAUTH -> {
                    stage = Stage.PFWD_SERVICE;
                    ctx.writeAndFlush(new ServiceRequest(ServiceRequest.PFWD));
                }
                case UserAuthFailure m when stage == Stage.USERAUTH -> {
                    stage = Stage.REFUSED;
                    connected.completeExceptionally(new IllegalStateException("the gateway refused the CIRA login"));
                    ctx.close();
                }
                case ServiceAccept m when stage == Stage.PFWD_SERVICE && m.service().equals(ServiceRequest.PFWD) -> {
                    stage = Stage.FORWARDING;
                    forwardNext();
                }
                case RequestSuccess m when stage == Stage.FORWARDING -> forwardNext();
                case RequestFailure m when stage == Stage.FORWARDING -> forwardNext();
                case KeepAliveOptionsRequest m -> {
                    ctx.writeAndFlush(new KeepAliveOptionsReply(m.intervalSeconds(), m.timeoutSeconds()));
                    startKeepAlive(Math.max(1, m.intervalSeconds()));
                }
                case KeepAliveRequest m -> ctx.writeAndFlush(new KeepAliveReply(m.cookie()));
                case KeepAliveReply m -> {
                    // the gateway is alive
                }
                case ChannelOpen m -> open(m);
                case ChannelData m -> data(m);
                case ChannelWindowAdjust m -> {
                    ApfChannel c = channels.get(m.recipientChannel());
                    if (c != null) {
                        c.sendCredit += m.bytesToAdd();
                        flush(c);
                    }
                }
                case ChannelClose m -> {
                    ApfChannel c = channels.remove(m.recipientChannel());
                    if (c != null) {
                        c.session.closed();
                        if (!c.closeSent) {
                            ctx.writeAndFlush(new ChannelClose(c.peer));
                        }
                    }
                }
                case Disconnect m -> ctx.close();
                default -> {
                    LOG.debug("simulated device {} ignores {}", device.guid(), message.type());
                }
            }
        }

        private void forwardNext() {
            if (nextPort < ports.size()) {
                ctx.writeAndFlush(new TcpipForward(true, "", ports.get(nextPort++)));
                return;
            }
            if (stage != Stage.READY) {
                stage = Stage.READY;
                if (!misbehaviours.contains(CiraMisbehaviour.SILENT) && keepAlive == null) {
                    startKeepAlive(30);
                }
                if (misbehaviours.contains(CiraMisbehaviour.GARBAGE_FRAMES)) {
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {(byte) 0xEE, 0, 1, 2, 3, 4, 5, 6}));
                }
                connected.complete(null);
            }
        }

        private void startKeepAlive(long seconds) {
            if (misbehaviours.contains(CiraMisbehaviour.SILENT)) {
                return;
            }
            if (keepAlive != null) {
                keepAlive.cancel(false);
            }
            keepAlive = ctx.executor().scheduleAtFixedRate(() -> ctx.writeAndFlush(new KeepAliveRequest(255)),
                    seconds, seconds, TimeUnit.SECONDS);
        }

        private void open(ChannelOpen m) {
            boolean forwarded = ports.contains((int) m.connectedPort()) && m.connectedPort() == 16992;
            if (!forwarded) {
                ctx.writeAndFlush(new ChannelOpenFailure(m.senderChannel(), ChannelOpenFailure.CONNECT_FAILED, "", ""));
                return;
            }
            ApfChannel c = new ApfChannel(nextChannelId++, m.senderChannel(), m.initialWindow());
            c.session = web.open(new ByteSink() {
                @Override
                public void write(byte[] data) {
                    ctx.executor().execute(() -> {
                        c.pending.add(data.clone());
                        flush(c);
                    });
                }

                @Override
                public void close() {
                    ctx.executor().execute(() -> {
                        c.closeWhenFlushed = true;
                        flush(c);
                    });
                }
            });
            channels.put(c.ours, c);
            ctx.writeAndFlush(new ChannelOpenConfirmation(c.peer, c.ours, WINDOW));
            if (misbehaviours.contains(CiraMisbehaviour.FLOOD_CHANNEL)) {
                ctx.writeAndFlush(new ChannelData(c.peer, new byte[(int) Math.min(m.initialWindow() + 1, 1 << 20)]));
            }
        }

        private void data(ChannelData m) {
            if (misbehaviours.contains(CiraMisbehaviour.VANISH_MID_CHANNEL)) {
                ctx.close();
                return;
            }
            ApfChannel c = channels.get(m.recipientChannel());
            if (c == null) {
                return;
            }
            c.session.receive(m.data());
            c.consumed += m.data().length;
            if (c.consumed > WINDOW / 2 && channels.containsKey(c.ours)) {
                ctx.writeAndFlush(new ChannelWindowAdjust(c.peer, c.consumed));
                c.consumed = 0;
            }
        }

        private void flush(ApfChannel c) {
            if (!channels.containsKey(c.ours) || c.closeSent) {
                return;
            }
            while (!c.pending.isEmpty() && c.sendCredit > 0) {
                byte[] head = c.pending.poll();
                if (head.length > c.sendCredit) {
                    int n = (int) c.sendCredit;
                    c.pending.addFirst(Arrays.copyOfRange(head, n, head.length));
                    head = Arrays.copyOf(head, n);
                }
                c.sendCredit -= head.length;
                ctx.write(new ChannelData(c.peer, head));
            }
            if (c.pending.isEmpty() && c.closeWhenFlushed) {
                c.closeSent = true;
                ctx.write(new ChannelClose(c.peer));
            }
            ctx.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (keepAlive != null) {
                keepAlive.cancel(false);
            }
            channels.values().forEach(c -> c.session.closed());
            channels.clear();
            connected.completeExceptionally(new IllegalStateException("the connection closed during the handshake"));
            closed.complete(stage == Stage.REFUSED ? "refused" : "closed");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("simulated device {} closes on error: {}", device.guid(), cause.toString());
            ctx.close();
        }
    }
}
