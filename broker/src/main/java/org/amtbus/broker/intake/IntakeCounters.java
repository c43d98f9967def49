package org.amtbus.broker.intake;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the intake gates did, for metrics: how often a connection's reading was paused for full session
 * queues, QoS 0 publishes Moquette dropped anyway (MQTT allows it), and connections closed because Moquette
 * dropped something that must not be dropped (the client resends on its next connection).
 *
 * <p>Thread-safe.
 */
public final class IntakeCounters {

    private final LongAdder paused = new LongAdder();
    private final LongAdder qos0Dropped = new LongAdder();
    private final LongAdder closed = new LongAdder();
    private final LongAdder internalUnrouted = new LongAdder();

    void paused() {
        paused.increment();
    }

    void qos0Dropped() {
        qos0Dropped.increment();
    }

    void closed() {
        closed.increment();
    }

    /** An in-process publish (the Kafka bridges) that Moquette could not hand to every subscriber's loop. */
    public void internalUnrouted() {
        internalUnrouted.increment();
    }

    public long pausedCount() {
        return paused.sum();
    }

    public long qos0DroppedCount() {
        return qos0Dropped.sum();
    }

    public long closedCount() {
        return closed.sum();
    }

    public long internalUnroutedCount() {
        return internalUnrouted.sum();
    }
}
