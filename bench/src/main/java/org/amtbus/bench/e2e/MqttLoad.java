package org.amtbus.bench.e2e;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * N publishers, each to its own topic, and N subscribers, one per topic, all in this process. A payload carries its
 * send time ({@link System#nanoTime()}) in its first 8 bytes, so the subscriber measures publish-to-delivery
 * latency on one clock. Two modes: as fast as the broker takes them (a bounded window of unacknowledged publishes
 * per publisher), or paced at a fixed total rate.
 */
final class MqttLoad {

    private static final Logger LOG = LoggerFactory.getLogger(MqttLoad.class);
    static final int PAYLOAD_BYTES = 100;
    /** Unacknowledged publishes per publisher: Mosquitto's default max_inflight_messages, which it also advertises as
     *  its receive maximum, so both brokers see the same window. */
    static final int WINDOW = 20;
    private static final Duration DRAIN = Duration.ofSeconds(5);

    /** What one run delivered. */
    record Result(long sent, long received, double seconds, double messagesPerSecond, Latencies.Summary latency,
                  boolean stalled, double brokerCpuSeconds) {
        double lossPercent() {
            return sent == 0 ? 0 : 100.0 * (sent - received) / sent;
        }
    }

    private final MqttEndpoint endpoint;
    private final int pairs;
    private final MqttQos qos;

    private final java.util.function.DoubleSupplier brokerCpu;

    MqttLoad(MqttEndpoint endpoint, int pairs, MqttQos qos) {
        this(endpoint, pairs, qos, () -> Double.NaN);
    }

    /**
     * @param brokerCpu the broker process's CPU-seconds so far; read when the first publish starts and after the
     *                  last delivery, so the clients' logins (Argon2id on our broker) are not counted per message
     */
    MqttLoad(MqttEndpoint endpoint, int pairs, MqttQos qos, java.util.function.DoubleSupplier brokerCpu) {
        this.endpoint = endpoint;
        this.pairs = pairs;
        this.qos = qos;
        this.brokerCpu = brokerCpu;
    }

    /** Publishes as fast as the broker acknowledges (QoS 1) or the socket takes (QoS 0) for {@code duration}. */
    Result saturate(Duration duration) {
        return run(duration, 0);
    }

    /** Publishes {@code ratePerSecond} messages a second in total, spread evenly over the publishers. */
    Result paced(Duration duration, int ratePerSecond) {
        return run(duration, ratePerSecond);
    }

    private Result run(Duration duration, int ratePerSecond) {
        String runId = Long.toString(System.nanoTime(), 36);
        Latencies latencies = new Latencies(4_000_000);
        AtomicLong received = new AtomicLong();
        AtomicLong lastReceived = new AtomicLong();
        List<Mqtt5AsyncClient> clients = new ArrayList<>();
        try {
            List<Mqtt5AsyncClient> publishers = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                Mqtt5AsyncClient sub = endpoint.connect("bench-sub-" + runId + "-" + i);
                clients.add(sub);
                sub.subscribeWith().topicFilter(topic(runId, i)).qos(qos).callback(publish -> {
                    long now = System.nanoTime();
                    ByteBuffer payload = publish.getPayload().orElseThrow();
                    latencies.record(now - payload.getLong(payload.position()));
                    received.incrementAndGet();
                    lastReceived.set(now);
                }).send().get(15, TimeUnit.SECONDS);
            }
            for (int i = 0; i < pairs; i++) {
                Mqtt5AsyncClient pub = endpoint.connect("bench-pub-" + runId + "-" + i);
                clients.add(pub);
                publishers.add(pub);
            }
            AtomicLong sent = new AtomicLong();
            java.util.concurrent.atomic.AtomicBoolean stalled = new java.util.concurrent.atomic.AtomicBoolean();
            double cpuAtStart = brokerCpu.getAsDouble();
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                Mqtt5AsyncClient pub = publishers.get(i);
                String topic = topic(runId, i);
                double perPublisher = ratePerSecond / (double) pairs;
                threads.add(Thread.ofPlatform().name("bench-publisher-" + i).start(
                        () -> publish(pub, topic, start, end, perPublisher, sent, stalled)));
            }
            for (Thread t : threads) {
                t.join();
            }
            long quietSince = System.nanoTime();
            long seen = received.get();
            while (received.get() < sent.get() && System.nanoTime() - quietSince < DRAIN.toNanos()) {
                NodeProcess.sleep(50);
                if (received.get() != seen) {
                    seen = received.get();
                    quietSince = System.nanoTime();
                }
            }
            double cpu = brokerCpu.getAsDouble() - cpuAtStart;
            double seconds = Math.max(lastReceived.get() - start, 1) / 1e9;
            Result result = new Result(sent.get(), received.get(), seconds, received.get() / seconds, latencies.summary(),
                    stalled.get(), cpu);
            LOG.info("mqtt run [target: {}, pairs: {}, qos: {}, rate: {}, sent: {}, received: {}, msgPerSec: {}, p50Ms: {}, p99Ms: {}, stalled: {}]",
                    endpoint.label(), pairs, qos.getCode(), ratePerSecond == 0 ? "max" : ratePerSecond, result.sent(),
                    result.received(), Math.round(result.messagesPerSecond()), result.latency().p50Ms(), result.latency().p99Ms(), result.stalled());
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(endpoint.label() + ": subscribe failed: " + e, e);
        } finally {
            for (Mqtt5AsyncClient c : clients) {
                try {
                    c.disconnect().get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    LOG.debug("disconnect failed [reason: {}]", e.toString());
                }
            }
        }
    }

    private void publish(Mqtt5AsyncClient client, String topic, long start, long end, double ratePerSecond,
                         AtomicLong sent, java.util.concurrent.atomic.AtomicBoolean stalled) {
        Semaphore window = new Semaphore(WINDOW);
        long n = 0;
        double periodNanos = ratePerSecond > 0 ? 1e9 / ratePerSecond : 0;
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            if (periodNanos > 0) {
                long due = start + (long) (n * periodNanos);
                if (due > now) {
                    LockSupport.parkNanos(due - now);
                    continue;
                }
            }
            if (!acquire(window, 1)) { // the broker stopped acknowledging: end this publisher, the run reports it
                stalled.set(true);
                LOG.warn("publisher stalled: {} publishes unacknowledged for {} [topic: {}]", WINDOW, DRAIN, topic);
                return;
            }
            byte[] payload = new byte[PAYLOAD_BYTES];
            ByteBuffer.wrap(payload).putLong(System.nanoTime());
            client.publishWith().topic(topic).qos(qos).payload(payload).send()
                    .whenComplete((r, e) -> window.release());
            sent.incrementAndGet();
            n++;
        }
        if (!acquire(window, WINDOW)) { // until every publish of this publisher completed (acknowledged, for QoS 1)
            stalled.set(true);
            LOG.warn("publishes still unacknowledged after {} [topic: {}]", DRAIN, topic);
        }
    }

    private static boolean acquire(Semaphore window, int permits) {
        try {
            return window.tryAcquire(permits, DRAIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String topic(String runId, int i) {
        return "bench/t/" + runId + "/" + i;
    }
}
