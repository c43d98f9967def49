package org.amtbus.broker.connect;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.amtbus.acl.login.LoginResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits in one MQTT channel's pipeline just before Moquette's handler and moves the CONNECT's credential
 * check (Argon2id, database, JWKS) off the event loop.
 *
 * <p>Invariants: the first decoded CONNECT with a username is held back while {@link ConnectGates} checks it
 * on the login executor; until the verdict, the channel reads nothing more (auto-read off) and whatever was
 * already decoded is queued in arrival order. Then, on the event loop: a decided login (accepted or refused)
 * goes on to Moquette with its verdict ({@link org.amtbus.broker.auth.ConnectVerdicts}), which answers the
 * client as before; if it was accepted, the queued messages follow, and reading resumes, once Moquette has sent
 * its CONNACK and admitted the connection (it sets up the session asynchronously and drops a packet that
 * overtakes it); a login that could not be decided (the
 * account store is down, or the executor is full) is answered here with CONNACK "server unavailable" (MQTT 5:
 * 0x88, or 0x89 "server busy"; 3.1.1: 0x03) and the connection is closed. The gate removes itself once the
 * CONNECT has passed. Anything else (a CONNECT without a username, a packet before CONNECT, a decoding
 * failure) passes unchanged: Moquette refuses it.
 *
 * <p>Thread: all methods on the channel's event loop; only {@link ConnectGates#check} runs elsewhere.
 */
final class ConnectGate extends ChannelDuplexHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectGate.class);
    /** The channel attribute Moquette sets once it has admitted the connection (NettyUtils.keepAlive). */
    static final String MOQUETTE_KEEP_ALIVE = "keepAlive";
    /** Same constant as Moquette's: {@code AttributeKey.valueOf} returns the existing key of that name. */
    private static final AttributeKey<Object> KEEP_ALIVE = AttributeKey.valueOf(MOQUETTE_KEEP_ALIVE);
    /** Moquette admits a connection within microseconds of its CONNACK; these bound the wait for it. */
    private static final Duration SESSION_POLL = Duration.ofMillis(1);
    private static final Duration SESSION_WAIT = Duration.ofSeconds(5);

    /** WAITING for a CONNECT, CHECKING it off the loop, ADMITTING (passed on, CONNACK not yet sent), PASSED. */
    private enum State { WAITING, CHECKING, ADMITTING, PASSED }

    private final ConnectGates gates;
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private State state = State.WAITING;

    ConnectGate(ConnectGates gates) {
        this.gates = Objects.requireNonNull(gates);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.CHECKING || state == State.ADMITTING) {
            held.add(msg);
            return;
        }
        if (state == State.WAITING && msg instanceof MqttConnectMessage connect && connect.decoderResult().isSuccess()
                && connect.variableHeader().hasUserName()) {
            state = State.CHECKING;
            ctx.channel().config().setAutoRead(false);
            try {
                gates.check(connect, peer(ctx), ctx.channel()::isActive,
                        result -> ctx.executor().execute(() -> decided(ctx, connect, result)));
            } catch (RejectedExecutionException e) {
                gates.busy();
                LOG.warn("event=broker.login-busy [peer: {}] too many logins waiting; refused with server busy", peer(ctx));
                refuseUnavailable(ctx, connect, true);
            }
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private void decided(ChannelHandlerContext ctx, MqttConnectMessage connect, LoginResult result) {
        if (ctx.isRemoved() || !ctx.channel().isActive()) {
            releaseHeld();
            return;
        }
        if (result.reason() == LoginResult.Reason.STORE_UNAVAILABLE) {
            refuseUnavailable(ctx, connect, false);
            return;
        }
        if (!result.isAccepted()) {
            state = State.PASSED;
            releaseHeld();
            gates.verdicts().deliver(connect.payload().userName(), connect.payload().passwordInBytes(), false,
                    () -> ctx.fireChannelRead(connect));
            ctx.pipeline().remove(this);
            return;
        }
        state = State.ADMITTING;
        gates.verdicts().deliver(connect.payload().userName(), connect.payload().passwordInBytes(), true,
                () -> ctx.fireChannelRead(connect));
    }

    /** Moquette's CONNACK on its way out: once it is sent, the held packets follow and the gate leaves. */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (state != State.ADMITTING || !(msg instanceof MqttConnAckMessage)) {
            ctx.write(msg, promise);
            return;
        }
        state = State.PASSED;
        if (((MqttConnAckMessage) msg).variableHeader().connectReturnCode() != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            releaseHeld(); // Moquette refused it after all (e.g. a protocol error) and closes the connection
            ctx.write(msg, promise);
            ctx.pipeline().remove(this);
            return;
        }
        // Moquette marks the connection connected in a listener of this write; replay only after that
        ChannelPromise sent = promise.unvoid();
        long deadline = System.nanoTime() + SESSION_WAIT.toNanos();
        sent.addListener(f -> ctx.executor().execute(() -> replayWhenConnected(ctx, deadline)));
        ctx.write(msg, sent);
    }

    /**
     * Moquette's CONNACK listener sets its {@code connected} flag and then, in the same call, the channel's
     * {@value #MOQUETTE_KEEP_ALIVE} attribute; that listener may run after ours, so wait (polling on the event
     * loop, bounded) until the attribute shows up.
     */
    private void replayWhenConnected(ChannelHandlerContext ctx, long deadline) {
        if (ctx.isRemoved()) {
            return;
        }
        // auto-read stays off until then too, so no packet can overtake Moquette's own set-up
        if (ctx.channel().isActive() && ctx.channel().attr(KEEP_ALIVE).get() == null && System.nanoTime() < deadline) {
            ctx.executor().schedule(() -> replayWhenConnected(ctx, deadline), SESSION_POLL.toNanos(), TimeUnit.NANOSECONDS);
            return;
        }
        while (!held.isEmpty() && ctx.channel().isActive()) {
            ctx.fireChannelRead(held.poll());
        }
        ctx.pipeline().remove(this);
        ctx.channel().config().setAutoRead(true);
    }

    private void refuseUnavailable(ChannelHandlerContext ctx, MqttConnectMessage connect, boolean busy) {
        releaseHeld();
        state = State.PASSED;
        boolean v5 = connect.variableHeader().version() == MqttVersion.MQTT_5.protocolLevel();
        MqttConnectReturnCode code = !v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE
                : busy ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_BUSY
                : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5;
        MqttConnAckMessage ack = MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false).build();
        ctx.writeAndFlush(ack).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseHeld();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseHeld();
        ctx.fireChannelInactive();
    }

    private void releaseHeld() {
        while (!held.isEmpty()) {
            ReferenceCountUtil.release(held.poll());
        }
    }

    private static InetAddress peer(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress address ? address.getAddress() : null;
    }
}
