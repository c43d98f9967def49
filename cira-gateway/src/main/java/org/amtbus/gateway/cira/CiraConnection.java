package org.amtbus.gateway.cira;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.amtbus.apf.ApfMessage;
import org.amtbus.apf.ApfProtocolException;
import org.amtbus.gateway.device.DeviceAuthenticator;
import org.amtbus.gateway.device.DeviceLink;
import org.amtbus.platform.device.Device;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.DeviceGuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One CIRA connection: feeds what the device sends to its {@link ApfSession}, writes the replies, checks
 * the device's credentials and claims it off the event loop, and offers the device's web service to the
 * gateway as a {@link DeviceLink} (each {@code open()} is a new APF channel to port 16992).
 *
 * <p>Invariants: the session and the channel table are touched only on this connection's event loop;
 * blocking work (registry, secret store, leases) runs on {@link CiraServices#blocking()} and comes back
 * through {@link #onEventLoop}; a protocol violation closes the connection after it was counted and
 * audited; the device is announced only once a WS-Man port is forwarded, and announced gone once.
 */
final class CiraConnection extends SimpleChannelInboundHandler<ApfMessage> implements DeviceLink {

    private static final Logger LOG = LoggerFactory.getLogger(CiraConnection.class);
    private static final int WSMAN_PORT = 16992;

    private final CiraServices services;
    private final ApfSession session;
    private final UUID connectionId = UUID.randomUUID();
    private final Map<Long, ApfChannelStream> streams = new HashMap<>();
    private final Map<Long, CompletableFuture<ApfChannelStream>> opening = new HashMap<>();
    private ChannelHandlerContext ctx;
    private volatile String remoteAddress = "0.0.0.0";
    private volatile Device device;
    private DeviceGuid claimedGuid;
    private boolean announced;
    private volatile String closeReason;
    private int originatorPort;
    /** Blocking work of this connection runs in order: a departure never overtakes the arrival it ends. */
    private CompletableFuture<Void> blockingChain = CompletableFuture.completedFuture(null);

    private final java.time.Duration authTimeout;

    CiraConnection(CiraServices services, java.time.Duration authTimeout) {
        super(ApfMessage.class);
        this.services = services;
        this.authTimeout = authTimeout;
        this.session = new ApfSession(services.session());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ctx.executor().schedule(() -> {
            if (device == null && ctx.channel().isActive()) {
                services.metrics().counter("amtbus.cira.refused", "reason", "not_authenticated_in_time").increment();
                LOG.info("closing a CIRA connection that did not log in within {} [from: {}, guid: {}]", authTimeout,
                        remoteAddress, claimedGuid);
                close("not authenticated within " + authTimeout.toSeconds() + " s");
            }
        }, authTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        SocketAddress peer = ctx.channel().remoteAddress();
        if (peer instanceof InetSocketAddress inet && inet.getAddress() != null) {
            remoteAddress = inet.getAddress().getHostAddress();
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ApfMessage message) {
        ApfSession.Step step = session.receive(message);
        step.replies().forEach(ctx::write);
        ctx.flush();
        if (message instanceof ApfMessage.ChannelWindowAdjust) {
            streams.values().forEach(this::flush);
        }
        for (ApfSession.Event event : step.events()) {
            switch (event) {
                case ApfSession.Event.DeviceIdentified e -> claimedGuid = DeviceGuid.of(e.guid());
                case ApfSession.Event.AuthenticationRequested e -> authenticate(e);
                case ApfSession.Event.PortForwarded e -> portForwarded(e.port());
                case ApfSession.Event.ChannelOpened e -> {
                    CompletableFuture<ApfChannelStream> f = opening.remove(e.channelId());
                    ApfChannelStream stream = streams.get(e.channelId());
                    if (f != null && stream != null) {
                        f.complete(stream);
                        flush(stream);
                    }
                }
                case ApfSession.Event.ChannelOpenFailed e -> {
                    streams.remove(e.channelId());
                    CompletableFuture<ApfChannelStream> f = opening.remove(e.channelId());
                    if (f != null) {
                        f.completeExceptionally(new IOException("device refused the channel (reason " + e.reasonCode() + ")"));
                    }
                }
                case ApfSession.Event.ChannelDataReceived e -> {
                    ApfChannelStream stream = streams.get(e.channelId());
                    if (stream != null && message instanceof ApfMessage.ChannelData data) {
                        stream.deliver(data.data());
                    }
                }
                case ApfSession.Event.ChannelClosed e -> {
                    ApfChannelStream stream = streams.remove(e.channelId());
                    if (stream != null) {
                        stream.end();
                    }
                }
                case ApfSession.Event.Disconnected e -> close("device sent DISCONNECT (reason " + e.reasonCode() + ")");
            }
        }
    }

    private void authenticate(ApfSession.Event.AuthenticationRequested request) {
        DeviceGuid guid = DeviceGuid.of(request.guid());
        inOrder(() -> {
            DeviceAuthenticator.Result result = services.authenticator().check(guid, request.username(), request.password());
            onEventLoop(() -> authenticated(guid, result));
        });
    }

    private void authenticated(DeviceGuid guid, DeviceAuthenticator.Result result) {
        if (!ctx.channel().isActive()) {
            return;
        }
        LoginAdmission.loginDone(ctx.channel()); // the verdict ends the login: the next waiting connection may start
        boolean accepted = result.verdict() == DeviceAuthenticator.Verdict.ACCEPTED;
        if (accepted) {
            device = result.device().orElseThrow();
        } else {
            services.metrics().counter("amtbus.cira.refused", "reason", result.verdict().name().toLowerCase()).increment();
            var event = services.audit().event("device.refused").actor(AuditEvent.Actor.device(guid)).source(remoteAddress)
                    .target("device:" + guid.value()).outcome(AuditEvent.Outcome.DENIED).reason(result.verdict().reason())
                    .detail("gateway", services.gateway().value());
            event.emit();
            LOG.info("device refused [guid: {}, from: {}, reason: {}]", guid, remoteAddress, result.verdict().reason());
        }
        ApfSession.Step step = session.completeAuthentication(accepted);
        step.replies().forEach(ctx::write);
        ctx.flush();
    }

    private void portForwarded(int port) {
        if (announced || device == null || port != WSMAN_PORT) {
            return;
        }
        announced = true;
        inOrder(() -> {
            try {
                services.presence().arrived(this);
            } catch (RuntimeException e) {
                LOG.warn("could not claim device {}: {}", device.guid(), e.toString());
                disconnect("could not claim the device");
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        opening.values().forEach(f -> f.completeExceptionally(new IOException("the CIRA connection closed")));
        opening.clear();
        streams.values().forEach(ApfChannelStream::end);
        streams.clear();
        if (announced) {
            String reason = closeReason == null ? "connection closed" : closeReason;
            inOrder(() -> {
                try {
                    services.presence().left(this, reason);
                } catch (RuntimeException e) {
                    LOG.warn("could not release device {}: {}", device.guid(), e.toString());
                }
            });
        }
    }

    /** Event loop: runs {@code task} on the blocking executor after this connection's earlier blocking tasks. */
    private void inOrder(Runnable task) {
        blockingChain = blockingChain.thenRunAsync(task, services.blocking()).exceptionally(e -> {
            LOG.warn("blocking task of a CIRA connection failed [from: {}]: {}", remoteAddress, e.toString());
            return null;
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            services.metrics().counter("amtbus.cira.idle.closed").increment();
            close("no bytes from the device within the idle timeout");
        } else if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
            services.metrics().counter("amtbus.cira.tls.failed").increment();
            LOG.debug("TLS handshake failed [from: {}]: {}", remoteAddress, handshake.cause().toString());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null && !(cause instanceof ApfProtocolException)
                ? cause.getCause() : cause;
        if (root instanceof ApfProtocolException apf) {
            services.metrics().counter("amtbus.cira.protocol.errors", "reason", apf.reason().name().toLowerCase()).increment();
            var event = services.audit().event("device.refused").source(remoteAddress)
                    .outcome(AuditEvent.Outcome.DENIED).reason("APF protocol violation: " + apf.reason().name().toLowerCase())
                    .detail("gateway", services.gateway().value());
            if (claimedGuid != null) {
                event.actor(AuditEvent.Actor.device(claimedGuid)).target("device:" + claimedGuid.value());
            } else {
                event.actor(AuditEvent.Actor.system("cira-" + services.gateway().value()));
            }
            event.emit();
            LOG.info("closing CIRA connection after a protocol violation [from: {}, guid: {}, reason: {}]", remoteAddress,
                    claimedGuid, apf.getMessage());
            close("protocol violation");
        } else if (root instanceof IOException) {
            LOG.debug("CIRA connection error [from: {}]: {}", remoteAddress, root.toString());
            close("connection error");
        } else {
            services.metrics().counter("amtbus.cira.internal.errors").increment();
            LOG.warn("unexpected error on a CIRA connection [from: {}, guid: {}]", remoteAddress, claimedGuid, root);
            close("internal error");
        }
    }

    private void close(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        ctx.close();
    }

    // ---- DeviceLink: called from worker threads ----

    @Override
    public Device device() {
        return device;
    }

    @Override
    public UUID connectionId() {
        return connectionId;
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public void disconnect(String reason) {
        onEventLoop(() -> close(reason));
    }

    @Override
    public Connection open() throws IOException {
        CompletableFuture<ApfChannelStream> opened = new CompletableFuture<>();
        onEventLoop(() -> {
            if (!ctx.channel().isActive()) {
                opened.completeExceptionally(new IOException("the device is not connected"));
                return;
            }
            try {
                originatorPort = (originatorPort + 1) % 30000;
                ApfMessage.ChannelOpen open = session.openChannel(WSMAN_PORT, "127.0.0.1", 1024 + originatorPort);
                ApfChannelStream stream = new ApfChannelStream(open.senderChannel(), this);
                streams.put(stream.id(), stream);
                opening.put(stream.id(), opened);
                ctx.writeAndFlush(open);
            } catch (IllegalStateException e) {
                opened.completeExceptionally(new IOException(e.getMessage()));
            }
        });
        try {
            return opened.get(services.channelTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            opened.thenAccept(ApfChannelStream::close);
            throw new IOException("the device did not confirm a channel within " + services.channelTimeout());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while opening a channel");
        }
    }

    // ---- for ApfChannelStream, on the event loop ----

    void onEventLoop(Runnable task) {
        if (ctx.executor().inEventLoop()) {
            task.run();
        } else {
            ctx.executor().execute(task);
        }
    }

    /** Sends what the channel's window allows now; the rest waits for WINDOW_ADJUST. */
    void flush(ApfChannelStream stream) {
        if (!streams.containsKey(stream.id()) || opening.containsKey(stream.id())) {
            return;
        }
        ArrayDeque<byte[]> outbox = stream.outbox();
        boolean wrote = false;
        while (!outbox.isEmpty()) {
            long credit = session.sendCredit(stream.id());
            if (credit <= 0) {
                break;
            }
            byte[] head = outbox.poll();
            if (head.length > credit) {
                int n = (int) credit;
                byte[] now = java.util.Arrays.copyOfRange(head, 0, n);
                outbox.addFirst(java.util.Arrays.copyOfRange(head, n, head.length));
                head = now;
            }
            ctx.write(session.send(stream.id(), head));
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
    }

    void consumed(ApfChannelStream stream, int bytes) {
        if (streams.containsKey(stream.id())) {
            Optional<ApfMessage.ChannelWindowAdjust> adjust = session.consumed(stream.id(), bytes);
            adjust.ifPresent(ctx::writeAndFlush);
        }
    }

    void closeChannel(ApfChannelStream stream) {
        if (opening.containsKey(stream.id())) {
            session.close(stream.id());
            return;
        }
        if (streams.containsKey(stream.id())) {
            session.close(stream.id()).ifPresent(ctx::writeAndFlush);
        }
    }

    @Override
    public String toString() {
        return "CiraConnection[" + connectionId + ", from " + remoteAddress + "]";
    }
}
