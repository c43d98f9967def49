package org.amtbus.sim.cira;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.amtbus.sim.amt.AmtWebService;
import org.amtbus.sim.amt.SimulatedDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many simulated machines dialling gateways, each redialling after a lost connection with a randomised
 * back-off (1 s doubling to {@code maxBackoff}), as firmware retries. With several gateways (as a machine may be
 * given several MPS addresses) the devices are spread over them, and a device whose connection broke tries the
 * next one. One event loop group serves them all.
 */
public final class SimulatedFleet implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedFleet.class);
    private final EventLoopGroup group;
    private final SslContext tls;
    private final List<InetSocketAddress> gateways;
    private final Map<SimulatedDevice, Integer> nextGateway = new ConcurrentHashMap<>();
    private final Duration maxBackoff;
    private final SecureRandom random = new SecureRandom();
    private final Map<SimulatedDevice, CiraDevice> current = new ConcurrentHashMap<>();
    private final Map<SimulatedDevice, AmtWebService> services = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    public SimulatedFleet(SslContext tls, InetSocketAddress gateway, Duration maxBackoff, int threads) {
        this(tls, List.of(gateway), maxBackoff, threads);
    }

    public SimulatedFleet(SslContext tls, List<InetSocketAddress> gateways, Duration maxBackoff, int threads) {
        this.tls = Objects.requireNonNull(tls);
        if (gateways.isEmpty()) {
            throw new IllegalArgumentException("at least one gateway address");
        }
        this.gateways = List.copyOf(gateways);
        this.maxBackoff = Objects.requireNonNull(maxBackoff);
        this.group = new NioEventLoopGroup(threads);
    }

    /** Starts dialling for every device. */
    public void start(List<SimulatedDevice> devices) {
        for (int i = 0; i < devices.size(); i++) {
            SimulatedDevice d = devices.get(i);
            nextGateway.put(d, i % gateways.size());
            services.put(d, new AmtWebService(d, Clock.systemUTC(), random));
            dial(d, 1);
        }
    }

    private void dial(SimulatedDevice device, long backoffSeconds) {
        if (closed.get()) {
            return;
        }
        int index = nextGateway.get(device);
        CiraDevice connection = new CiraDevice(device, services.get(device)).dial(group, tls, gateways.get(index));
        current.put(device, connection);
        connection.connected().whenComplete((ok, error) -> {
            if (error == null) {
                LOG.info("simulated device connected [guid: {}]", device.guid());
            }
        });
        connection.closed().whenComplete((reason, error) -> {
            if (closed.get()) {
                return;
            }
            boolean wasUp = connection.connected().isDone() && !connection.connected().isCompletedExceptionally();
            nextGateway.put(device, (index + 1) % gateways.size());
            long next = wasUp ? 1 : Math.min(backoffSeconds * 2, maxBackoff.toSeconds());
            long delayMs = next * 1000 / 2 + random.nextLong(next * 1000 / 2 + 1);
            LOG.info("simulated device lost its connection, redialling [guid: {}, reason: {}, inMs: {}]", device.guid(),
                    reason, delayMs);
            group.schedule(() -> dial(device, next), delayMs, TimeUnit.MILLISECONDS);
        });
    }

    /** The gateway a device is connected to or dialling now. */
    public InetSocketAddress gatewayOf(SimulatedDevice device) {
        return gateways.get(nextGateway.get(device));
    }

    /** Devices logged in and forwarding now. */
    public long connected() {
        return current.values().stream()
                .filter(c -> c.connected().isDone() && !c.connected().isCompletedExceptionally() && !c.closed().isDone())
                .count();
    }

    @Override
    public void close() {
        closed.set(true);
        current.values().forEach(CiraDevice::vanish);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
