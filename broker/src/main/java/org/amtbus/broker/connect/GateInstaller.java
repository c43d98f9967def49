package org.amtbus.broker.connect;

import io.moquette.broker.Server;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.EventExecutor;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.amtbus.broker.intake.IntakeGates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a {@link ConnectGate} into the pipeline of every MQTT connection Moquette accepts (TLS, plain and
 * websocket listeners alike), just before Moquette's handler.
 *
 * <p>Moquette 0.18.3 has no hook for its pipeline, so this reads two private fields
 * ({@code Server.acceptor}, {@code NewNettyAcceptor.bossGroup}) to find its listening channels, and from there
 * uses only public Netty API: a handler in each listening channel's pipeline sees every accepted channel
 * before it is registered and adds a one-shot installer, which, once Moquette's initializer has built the
 * pipeline, inserts the gate before the handler Moquette names {@value #MOQUETTE_HANDLER}, and after it the
 * {@link org.amtbus.broker.intake.IntakeGates intake gate} that holds input while Moquette's session queues are
 * full. See docs/decisions/0005-connect-gate.md.
 *
 * <p>Invariants: {@link #install} fails (and the broker does not start) when Moquette's internals do not look
 * as expected or a listener cannot be found; a connection whose pipeline has no {@value #MOQUETTE_HANDLER}
 * is closed, never served ungated. A connection that slipped in before the install reaches Moquette without a
 * verdict and is refused by {@link org.amtbus.broker.auth.SessionAuthenticator}.
 */
public final class GateInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(GateInstaller.class);
    /** The name Moquette gives its MQTT handler in every pipeline (NewNettyAcceptor.configureMQTTPipeline). */
    static final String MOQUETTE_HANDLER = "handler";
    /** Moquette's per-packet logger (NewNettyAcceptor.configureMQTTPipeline), removed: see {@link Installer}. */
    static final String MOQUETTE_PACKET_LOGGER = "messageLogger";
    static final String GATE = "amtbus-connect-gate";
    static final String INTAKE = "amtbus-intake-gate";
    static final String FLUSH = "amtbus-flush-consolidation";
    /**
     * Moquette flushes after every packet it writes (a TLS record and a syscall each); a PUBACK or a delivery
     * written while the loop has more such writes queued is flushed with them instead. Bounded: a flush is
     * forced at least every this many.
     */
    private static final int FLUSH_AFTER = 64;
    private static final String ACCEPT_HOOK = "amtbus-accept-hook";
    private static final String INSTALLER = "amtbus-gate-installer";
    /** Listing a boss loop's channels is one task on an idle loop. */
    private static final Duration LIST_WAIT = Duration.ofSeconds(5);

    private final ConnectGates gates;
    private final IntakeGates intake;

    public GateInstaller(ConnectGates gates, IntakeGates intake) {
        this.gates = Objects.requireNonNull(gates);
        this.intake = Objects.requireNonNull(intake);
    }

    /**
     * Hooks every listener of the started {@code server}.
     *
     * @param expectedListeners how many listening channels the broker's configuration opens
     * @throws IllegalStateException with a one-line reason when the hook cannot be placed
     */
    public void install(Server server, int expectedListeners) {
        List<Channel> listeners = listeningChannels(bossGroup(server));
        if (listeners.size() < expectedListeners) {
            throw new IllegalStateException("found " + listeners.size() + " MQTT listener(s), expected " + expectedListeners);
        }
        AcceptHook hook = new AcceptHook();
        for (Channel listener : listeners) {
            listener.pipeline().addFirst(ACCEPT_HOOK, hook);
            LOG.info("event=broker.connect-gate-installed listener={}", listener.localAddress());
        }
    }

    private static EventLoopGroup bossGroup(Server server) {
        Object acceptor = field(Server.class, "acceptor", server);
        if (acceptor == null) {
            throw new IllegalStateException("Moquette's acceptor is not there (the server did not start)");
        }
        return (EventLoopGroup) field(acceptor.getClass(), "bossGroup", acceptor);
    }

    private static Object field(Class<?> type, String name, Object target) {
        try {
            Field f = type.getDeclaredField(name);
            f.setAccessible(true);
            return f.get(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("Moquette internals changed: no field " + type.getSimpleName() + "." + name
                    + " (see docs/decisions/0005-connect-gate.md)", e);
        }
    }

    /** The server channels registered on the boss loops (listing must run on each loop). */
    private static List<Channel> listeningChannels(EventLoopGroup boss) {
        List<Channel> found = new ArrayList<>();
        for (EventExecutor executor : boss) {
            if (!(executor instanceof SingleThreadEventLoop loop)) {
                throw new IllegalStateException("Moquette's boss group is not made of single-thread event loops");
            }
            try {
                found.addAll(loop.submit(() -> {
                    List<Channel> channels = new ArrayList<>();
                    for (Iterator<Channel> it = loop.registeredChannelsIterator(); it.hasNext(); ) {
                        Channel c = it.next();
                        if (c instanceof ServerChannel && c.isActive()) {
                            channels.add(c);
                        }
                    }
                    return channels;
                }).get(LIST_WAIT.toMillis(), TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while finding the MQTT listeners", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("cannot list the MQTT listeners: " + e.getClass().getSimpleName(), e);
            }
        }
        return found;
    }

    /** In a listening channel's pipeline: gives every accepted channel an installer before it is registered. */
    @ChannelHandler.Sharable
    private final class AcceptHook extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel child) {
                child.pipeline().addLast(INSTALLER, new Installer());
            }
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * One-shot: at registration Moquette's initializer has built the pipeline (handlers added before
     * registration get their {@code handlerAdded} first, in order), so the gate can go before its handler.
     * Nothing is read before registration, so no byte passes ungated.
     */
    private final class Installer extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRegistered(ChannelHandlerContext ctx) {
            if (ctx.pipeline().get(MOQUETTE_HANDLER) == null) {
                LOG.error("event=broker.connect-gate-missing pipeline={} the connection is closed", ctx.pipeline().names());
                ctx.pipeline().remove(this);
                ctx.close();
                return;
            }
            // Moquette's packet logger logs at INFO/DEBUG only (we run io.moquette at WARN) but sets three MDC entries
            // and formats the channel on every packet read or written
            if (ctx.pipeline().get(MOQUETTE_PACKET_LOGGER) != null) {
                ctx.pipeline().remove(MOQUETTE_PACKET_LOGGER);
            }
            // the consolidation sees every read (also those the intake gate holds), so it flushes at read complete
            ctx.pipeline().addBefore(MOQUETTE_HANDLER, FLUSH, new FlushConsolidationHandler(FLUSH_AFTER, true));
            ctx.pipeline().addBefore(MOQUETTE_HANDLER, GATE, gates.newGate());
            ctx.pipeline().addBefore(MOQUETTE_HANDLER, INTAKE, intake.newGate());
            ctx.fireChannelRegistered();
            ctx.pipeline().remove(this);
        }
    }
}
