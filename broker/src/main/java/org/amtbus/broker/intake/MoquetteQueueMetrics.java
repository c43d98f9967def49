package org.amtbus.broker.intake;

import io.moquette.broker.config.IConfig;
import io.moquette.logging.MetricsProvider;

/**
 * Moquette's metrics hook, loaded by Moquette through {@link java.util.ServiceLoader} when the broker's
 * configuration names it ({@code metrics_provider_class}): hands the session command queue events to
 * {@link SessionQueueLoad#shared()}. The other events are not needed.
 *
 * <p>Thread: called from Netty I/O threads and Moquette's session loops at once.
 */
public final class MoquetteQueueMetrics implements MetricsProvider {

    private final SessionQueueLoad load = SessionQueueLoad.shared();

    /** For {@link java.util.ServiceLoader}. */
    public MoquetteQueueMetrics() {
    }

    @Override
    public void init(IConfig config) {
    }

    @Override
    public void stop() {
    }

    @Override
    public void initSessionQueues(int queues, int capacity) {
        load.configure(queues, capacity);
    }

    @Override
    public void sessionQueueInc(int queue) {
        load.queued(queue);
    }

    @Override
    public void sessionQueueDec(int queue) {
        load.taken(queue);
    }

    @Override
    public void addSessionQueueOverrun(int queue) {
        load.overrun(queue);
    }

    @Override
    public void addOpenSession() {
    }

    @Override
    public void removeOpenSession() {
    }

    @Override
    public void addPublish() {
    }

    @Override
    public void addMessage(int queue, int qos) {
    }
}
