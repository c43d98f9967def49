package org.amtbus.broker.intake;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How full Moquette's session command queues are, as Moquette itself reports it through its metrics hook
 * ({@link MoquetteQueueMetrics}), and who waits for room in them.
 *
 * <p>Why: Moquette 0.18.3 runs every session action (a PUBLISH, a PUBACK, the fan-out of a publish to the
 * subscribers' loops) as a command in one of {@code cores} bounded queues ({@code broker.sessionQueueSize} each),
 * and drops the command when its queue is full (SessionEventLoopGroup.routeCommand): a QoS 1 PUBLISH then gets
 * neither a delivery nor a PUBACK. {@link IntakeGate} keeps the queues from filling by holding a connection's
 * input while any queue is at or above the high mark, and resumes it once every queue is back at the low mark.
 *
 * <p>Bound: with {@code n} queues of capacity {@code C} the high mark is {@code C / (n + 1)}. Held intake means
 * no new command from the network; what is queued can still add one fan-out command per other queue, so no queue
 * exceeds about {@code n * C / (n + 1)} and the rest is headroom for the few messages that pass the check at the
 * same moment on different I/O threads.
 *
 * <p>Moquette's metrics hook is one static provider per JVM, so this is one shared instance: a JVM that runs
 * several brokers (tests do) sees the sum of their queues, which only makes the gate more careful. The node runs
 * one broker.
 *
 * <p>Thread-safe: counters are atomics; {@link #overrunsOnThisThread()} lets the caller of a Moquette entry point
 * tell whether that call dropped a command (Moquette reports the overrun on the thread that tried to queue it).
 */
public final class SessionQueueLoad {

    private static final Logger LOG = LoggerFactory.getLogger(SessionQueueLoad.class);
    private static final SessionQueueLoad SHARED = new SessionQueueLoad();
    private static final ThreadLocal<int[]> OVERRUNS_HERE = ThreadLocal.withInitial(() -> new int[1]);
    private static final long AWAIT_POLL_NANOS = Duration.ofMillis(1).toNanos();
    /** At most one overrun log line per this many nanoseconds; every overrun is counted regardless. */
    private static final long LOG_EVERY_NANOS = Duration.ofSeconds(10).toNanos();

    private volatile AtomicIntegerArray depth = new AtomicIntegerArray(Runtime.getRuntime().availableProcessors());
    private volatile int high = Integer.MAX_VALUE;
    private volatile int low = Integer.MAX_VALUE;
    private volatile int capacity;
    private final ConcurrentLinkedQueue<Runnable> waiters = new ConcurrentLinkedQueue<>();
    private final LongAdder overruns = new LongAdder();
    private volatile long lastOverrunLog;

    SessionQueueLoad() {
    }

    /** The JVM's instance (Moquette's metrics hook is static). */
    public static SessionQueueLoad shared() {
        return SHARED;
    }

    /** Called when a broker creates its {@code loops} queues of {@code capacity} commands each. */
    void configure(int loops, int capacity) {
        if (loops < 1 || capacity < 1) {
            throw new IllegalArgumentException("session queues: " + loops + " x " + capacity);
        }
        if (depth.length() != loops) {
            depth = new AtomicIntegerArray(loops); // a second broker in this JVM keeps counting into the same queues
        }
        this.capacity = capacity;
        high = Math.max(1, capacity / (loops + 1));
        low = high / 2;
        LOG.info("event=broker.intake-configured sessionLoops={} sessionQueueSize={} holdAt={} resumeAt={}",
                loops, capacity, high, low);
        wakeAll();
    }

    void queued(int queue) {
        AtomicIntegerArray d = depth;
        if (queue >= 0 && queue < d.length()) {
            d.incrementAndGet(queue);
        }
    }

    void taken(int queue) {
        AtomicIntegerArray d = depth;
        if (queue >= 0 && queue < d.length() && d.decrementAndGet(queue) <= low && !waiters.isEmpty() && calm()) {
            wakeAll();
        }
    }

    void overrun(int queue) {
        overruns.increment();
        OVERRUNS_HERE.get()[0]++;
        long now = System.nanoTime();
        if (now - lastOverrunLog > LOG_EVERY_NANOS) {
            lastOverrunLog = now;
            LOG.warn("event=broker.session-queue-full queue={} sessionQueueSize={} overrunsSoFar={}"
                    + " a session command was dropped by Moquette; see amtbus.broker.intake.* metrics",
                    queue, capacity, overruns.sum());
        }
    }

    /** True while some queue is at or above the high mark: new input must wait. */
    public boolean saturated() {
        AtomicIntegerArray d = depth;
        int h = high;
        for (int i = 0; i < d.length(); i++) {
            if (d.get(i) >= h) {
                return true;
            }
        }
        return false;
    }

    /** True when every queue is at or below the low mark. */
    private boolean calm() {
        AtomicIntegerArray d = depth;
        int l = low;
        for (int i = 0; i < d.length(); i++) {
            if (d.get(i) > l) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs {@code wake} once every queue is back at the low mark (at once if it already is). {@code wake} runs
     * on whichever thread sees the queues calm down (a Moquette session loop), so it must only hand work off.
     */
    public void whenRoom(Runnable wake) {
        waiters.add(wake);
        if (calm()) {
            wakeAll();
        }
    }

    /**
     * For threads that may block (the Kafka bridges): waits, bounded, until no queue is at the high mark.
     *
     * @return false when {@code limit} passed and the queues are still full
     */
    public boolean awaitRoom(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (saturated()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(AWAIT_POLL_NANOS);
        }
        return true;
    }

    /** Commands Moquette dropped on this thread so far; compare before and after a call into Moquette. */
    public int overrunsOnThisThread() {
        return OVERRUNS_HERE.get()[0];
    }

    /** Commands Moquette dropped because their queue was full, in this JVM. */
    public long overruns() {
        return overruns.sum();
    }

    private void wakeAll() {
        Runnable wake;
        while ((wake = waiters.poll()) != null) {
            try {
                wake.run();
            } catch (RuntimeException e) {
                LOG.warn("event=broker.intake-wake-failed error={}", e.getClass().getSimpleName());
            }
        }
    }
}
