package org.amtbus.bench.e2e;

import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import org.amtbus.sim.cira.SimulatedFleet;
import org.amtbus.sim.amt.SimulatedDevice;

/**
 * Simulated machines started with at most {@code inFlight} still connecting at once (a client-side cap, like the
 * baseline's), so a storm measures how fast the gateway takes machines in rather than how many handshakes time out
 * and back off. Each machine still redials on its own (1 s doubling to 30 s) if it loses its connection.
 */
final class PacedFleet implements AutoCloseable {

    private final SimulatedFleet fleet;

    PacedFleet(SslContext tls, InetSocketAddress gateway) {
        this.fleet = new SimulatedFleet(tls, gateway, Duration.ofSeconds(30), 2);
    }

    /** Starts every machine, waiting before each while {@code inFlight} are still connecting; returns when all are started. */
    void start(List<SimulatedDevice> devices, int inFlight) {
        int started = 0;
        long connected = 0;
        for (SimulatedDevice d : devices) {
            while (started - connected >= inFlight) {
                NodeProcess.sleep(5);
                connected = fleet.connected();
            }
            fleet.start(List.of(d));
            started++;
        }
    }

    long connected() {
        return fleet.connected();
    }

    /** Waits until {@code count} are connected (by {@code gauge}, e.g. the gateway's own count) or the time is up. */
    static boolean await(LongSupplier gauge, long count, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            if (gauge.getAsLong() >= count) {
                return true;
            }
            NodeProcess.sleep(100);
        }
        return gauge.getAsLong() >= count;
    }

    @Override
    public void close() {
        fleet.close();
    }
}
