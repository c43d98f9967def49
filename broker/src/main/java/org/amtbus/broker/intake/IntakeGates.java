package org.amtbus.broker.intake;

import io.netty.channel.ChannelHandler;
import java.util.Objects;

/** Makes the {@link IntakeGate} of each new connection; they share the queue load and the counters. */
public final class IntakeGates {

    private final SessionQueueLoad load;
    private final IntakeCounters counters;

    public IntakeGates(SessionQueueLoad load, IntakeCounters counters) {
        this.load = Objects.requireNonNull(load);
        this.counters = Objects.requireNonNull(counters);
    }

    public ChannelHandler newGate() {
        return new IntakeGate(load, counters);
    }
}
