package org.amtbus.gateway.cira;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps CIRA connections in total and per source address, before any TLS work is spent on them. A refused
 * connection is closed at once, counted ({@code amtbus_cira_refused_total{reason}}) and logged at most once a
 * minute per reason, so a flood cannot turn into a log or audit flood. Sharable: one instance per listener.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);
    private static final long LOG_EVERY_NANOS = 60_000_000_000L;

    private final int maxTotal;
    private final int maxPerAddress;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final Counter refusedTotal;
    private final Counter refusedAddress;
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    ConnectionLimiter(int maxTotal, int maxPerAddress, MeterRegistry metrics) {
        if (maxTotal < 1 || maxPerAddress < 1) {
            throw new IllegalArgumentException("connection limits must be positive");
        }
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
        this.refusedTotal = metrics.counter("amtbus.cira.refused", "reason", "too_many_connections");
        this.refusedAddress = metrics.counter("amtbus.cira.refused", "reason", "too_many_from_address");
        metrics.gauge("amtbus.cira.connections", total);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetAddress address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            refuse(ctx, refusedTotal, "the gateway holds its maximum of " + maxTotal + " connections", address);
            return;
        }
        AtomicInteger mine = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
        if (mine.incrementAndGet() > maxPerAddress) {
            mine.decrementAndGet();
            total.decrementAndGet();
            refuse(ctx, refusedAddress, "more than " + maxPerAddress + " connections from one address", address);
            return;
        }
        ctx.channel().closeFuture().addListener(f -> {
            total.decrementAndGet();
            perAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
        });
        super.channelActive(ctx);
    }

    private void refuse(ChannelHandlerContext ctx, Counter counter, String reason, InetAddress address) {
        counter.increment();
        long last = lastLog.get();
        long now = System.nanoTime();
        if (now - last >= LOG_EVERY_NANOS && lastLog.compareAndSet(last, now)) {
            LOG.warn("refusing CIRA connections [reason: {}, example source: {}] (logged at most once a minute)", reason,
                    address.getHostAddress());
        }
        ctx.close();
    }

    int connections() {
        return total.get();
    }
}
