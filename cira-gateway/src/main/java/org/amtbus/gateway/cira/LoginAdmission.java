package org.amtbus.gateway.cira;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The login admission queue: at most {@code maxInProgress} connections are logging in (TLS handshake, APF, password
 * check) at once; further accepted connections wait, TCP open and nothing read. Their login handlers (TLS and
 * the rest, {@code loginPipeline}) are added only when they are let in, so a waiting connection holds no TLS
 * engine, and no handshake and no handshake timer runs for it. When a login ends (the password verdict, or the connection closing first) the
 * oldest waiting connection is let in. A connection that waited longer than {@code maxWait} is closed instead of
 * let in (its device has given up or soon will; a handshake for it would be wasted). Beyond {@code maxWaiting}
 * waiting, new connections are closed at once.
 *
 * <p>Why: in a reconnect storm every device dials at once. Without the queue every handshake starts at once, they
 * share the CPU, most outlast the device's handshake timeout, fail, and the devices back off for longer and longer.
 * With it, handshakes run a few at a time, each fast, and the rest wait their turn.
 *
 * <p>Refused and expired connections are counted ({@code amtbus_cira_refused_total{reason="login_queue_full"}},
 * {@code {reason="login_queue_expired"}}) and logged at most once a minute, not audited: nothing about the device is
 * known before TLS (no identity, as for {@link ConnectionLimiter}). Every login that does happen is authenticated
 * and audited as before. Sharable and thread-safe: one instance per listener, called from every event loop.
 */
@ChannelHandler.Sharable
final class LoginAdmission extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(LoginAdmission.class);
    private static final long LOG_EVERY_NANOS = 60_000_000_000L;
    private static final AttributeKey<Ticket> TICKET = AttributeKey.valueOf("amtbus.cira.login-ticket");

    private final int maxInProgress;
    private final int maxWaiting;
    private final long maxWaitNanos;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private int inProgress;
    private final Counter refusedFull;
    private final Counter expired;
    private final Counter queued;
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
    private final java.util.function.Consumer<Channel> loginPipeline;

    private record Waiting(ChannelHandlerContext ctx, long since) {
    }

    /** A connection's place among the logins in progress, given up once. */
    private record Ticket(LoginAdmission admission, AtomicBoolean held) {
        void done() {
            if (held.compareAndSet(true, false)) {
                admission.next();
            }
        }
    }

    /**
     * @param loginPipeline adds the login's handlers (TLS onwards) after this one, on the channel's event loop
     */
    LoginAdmission(int maxInProgress, int maxWaiting, Duration maxWait, MeterRegistry metrics,
                   java.util.function.Consumer<Channel> loginPipeline) {
        this.loginPipeline = Objects.requireNonNull(loginPipeline);
        if (maxInProgress < 1 || maxWaiting < 0 || maxWait.isNegative() || maxWait.isZero()) {
            throw new IllegalArgumentException("login admission limits must be positive");
        }
        this.maxInProgress = maxInProgress;
        this.maxWaiting = maxWaiting;
        this.maxWaitNanos = maxWait.toNanos();
        this.refusedFull = metrics.counter("amtbus.cira.refused", "reason", "login_queue_full");
        this.expired = metrics.counter("amtbus.cira.refused", "reason", "login_queue_expired");
        this.queued = metrics.counter("amtbus.cira.logins.queued");
        metrics.gauge("amtbus.cira.logins.in.progress", this, LoginAdmission::inProgress);
        metrics.gauge("amtbus.cira.logins.waiting", this, LoginAdmission::waitingCount);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        boolean admit;
        boolean wait = false;
        synchronized (this) {
            admit = inProgress < maxInProgress && waiting.isEmpty();
            if (admit) {
                inProgress++;
            } else if (waiting.size() < maxWaiting) {
                wait = true;
                waiting.addLast(new Waiting(ctx, System.nanoTime()));
            }
        }
        if (admit) {
            admitted(ctx, false);
        } else if (wait) {
            ctx.channel().config().setAutoRead(false); // nothing is read, so no handshake starts, until its turn
            queued.increment();
        } else {
            refuse(ctx, refusedFull, "the login queue is full (" + maxWaiting + " waiting)");
        }
    }

    /**
     * The login on this connection has reached its verdict: let the next waiting connection in. Idempotent, any
     * thread; a connection closing before its verdict counts as done too.
     */
    static void loginDone(Channel channel) {
        Ticket ticket = channel.attr(TICKET).get();
        if (ticket != null) {
            ticket.done();
        }
    }

    private void admitted(ChannelHandlerContext ctx, boolean fromQueue) {
        Channel channel = ctx.channel();
        channel.attr(TICKET).set(new Ticket(this, new AtomicBoolean(true)));
        channel.closeFuture().addListener(f -> loginDone(channel));
        if (fromQueue) {
            channel.eventLoop().execute(() -> {
                if (!channel.isActive()) {
                    loginDone(channel);
                    return;
                }
                start(ctx);
                channel.config().setAutoRead(true);
            });
        } else {
            start(ctx);
        }
    }

    /** Adds the login's handlers: TLS starts on the active channel (and its timer), the session its login timer. */
    private void start(ChannelHandlerContext ctx) {
        loginPipeline.accept(ctx.channel());
        ctx.fireChannelActive();
    }

    /** A slot is free: admit the oldest waiting connection still worth a handshake. */
    private void next() {
        long now = System.nanoTime();
        while (true) {
            Waiting w;
            synchronized (this) {
                inProgress--;
                w = waiting.pollFirst();
                if (w == null) {
                    return;
                }
                inProgress++;
            }
            if (w.ctx().channel().isActive() && now - w.since() <= maxWaitNanos) {
                admitted(w.ctx(), true);
                return;
            }
            if (w.ctx().channel().isActive()) {
                refuse(w.ctx(), expired, "waited longer than " + Duration.ofNanos(maxWaitNanos).toMillis() + " ms for its turn");
            }
            // that one is not taken: loop to free its slot again and try the next
        }
    }

    private void refuse(ChannelHandlerContext ctx, Counter counter, String reason) {
        counter.increment();
        long last = lastLog.get();
        long now = System.nanoTime();
        if (now - last >= LOG_EVERY_NANOS && lastLog.compareAndSet(last, now)) {
            Object peer = ctx.channel().remoteAddress();
            String source = peer instanceof InetSocketAddress inet && inet.getAddress() != null
                    ? inet.getAddress().getHostAddress() : "unknown";
            LOG.warn("refusing CIRA connections before TLS [reason: {}, example source: {}] (logged at most once a minute)",
                    reason, source);
        }
        ctx.close();
    }

    synchronized int inProgress() {
        return inProgress;
    }

    synchronized int waitingCount() {
        return waiting.size();
    }
}
