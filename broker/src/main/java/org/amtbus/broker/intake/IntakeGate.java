package org.amtbus.broker.intake;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits in one MQTT channel's pipeline just before Moquette's handler and gives Moquette's session command queues
 * backpressure instead of overflow.
 *
 * <p>Invariants:
 * <ul>
 *   <li>while {@link SessionQueueLoad#saturated()} (or while earlier messages still wait), a decoded message is
 *       held here, in arrival order, and the channel stops reading (auto-read off) until the queues have room
 *       again; what one read already decoded is all that can be held, so the hold is bounded by the read size;</li>
 *   <li>a held read-complete is passed on after the held messages;</li>
 *   <li>if Moquette still drops a command while handling a message passed on here (it reports the overrun on this
 *       thread): a QoS 0 PUBLISH is counted (MQTT allows dropping it), anything else closes the connection, so a
 *       QoS 1 PUBLISH is never left without either a PUBACK or a closed connection (the client resends it);</li>
 *   <li>auto-read is turned back on only if this gate turned it off (the connect gate also uses it).</li>
 * </ul>
 *
 * <p>Thread: all methods on the channel's event loop; the wake-up from {@link SessionQueueLoad#whenRoom} only
 * schedules {@link #resume} there.
 */
final class IntakeGate extends ChannelDuplexHandler {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeGate.class);

    private final SessionQueueLoad load;
    private final IntakeCounters counters;
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean readCompleteOwed;
    private boolean pausedReading;
    private boolean waiting;

    IntakeGate(SessionQueueLoad load, IntakeCounters counters) {
        this.load = Objects.requireNonNull(load);
        this.counters = Objects.requireNonNull(counters);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!held.isEmpty() || load.saturated()) {
            hold(msg);
            return;
        }
        forward(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!held.isEmpty()) {
            readCompleteOwed = true;
            return;
        }
        // Moquette queues a "flush queues" command here; losing one only delays a flush until the next
        ctx.fireChannelReadComplete();
    }

    private void hold(Object msg) {
        held.add(msg);
        if (ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(false);
            pausedReading = true;
            counters.paused();
        }
        waitForRoom();
    }

    private void waitForRoom() {
        if (waiting) {
            return;
        }
        waiting = true;
        load.whenRoom(() -> {
            try {
                ctx.executor().execute(this::resume);
            } catch (RejectedExecutionException e) {
                // the event loop is shutting down with the broker; its channels are closed with it
            }
        });
    }

    private void resume() {
        waiting = false;
        if (ctx.isRemoved() || !ctx.channel().isActive()) {
            releaseHeld();
            return;
        }
        while (!held.isEmpty()) {
            if (load.saturated()) {
                waitForRoom();
                return;
            }
            forward(held.poll());
            if (!ctx.channel().isActive()) {
                releaseHeld();
                return;
            }
        }
        if (readCompleteOwed) {
            readCompleteOwed = false;
            ctx.fireChannelReadComplete();
        }
        if (pausedReading) {
            pausedReading = false;
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Passes one message to Moquette and checks that Moquette did not drop what it made of it. */
    private void forward(Object msg) {
        MqttMessageType type = msg instanceof MqttMessage m && m.fixedHeader() != null ? m.fixedHeader().messageType() : null;
        boolean qos0Publish = type == MqttMessageType.PUBLISH
                && ((MqttMessage) msg).fixedHeader().qosLevel() == MqttQoS.AT_MOST_ONCE;
        int before = load.overrunsOnThisThread();
        ctx.fireChannelRead(msg);
        if (load.overrunsOnThisThread() == before) {
            return;
        }
        if (qos0Publish) {
            counters.qos0Dropped();
            return;
        }
        counters.closed();
        LOG.warn("event=broker.intake-overrun [peer: {}] packet={} Moquette's session queue was full and it dropped"
                + " the packet; the connection is closed so that the client resends", ctx.channel().remoteAddress(), type);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseHeld();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseHeld();
    }

    private void releaseHeld() {
        while (!held.isEmpty()) {
            ReferenceCountUtil.release(held.poll());
        }
    }
}
