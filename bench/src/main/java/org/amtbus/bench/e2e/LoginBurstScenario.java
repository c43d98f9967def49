package org.amtbus.bench.e2e;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario "logins": does a burst of {@value #CLIENTS} concurrent TLS logins (each an Argon2id check on the node)
 * stall the traffic of clients that are already connected? A connected publisher/subscriber pair exchanges QoS 1
 * messages at {@value #PAIR_RATE} msg/s; its publish-to-delivery latency is measured for {@code --seconds} without
 * a burst (the baseline), then while {@value #CLIENTS} clients log in at once, in the same run, on the same node.
 * The login completion times (TCP + TLS 1.3 handshake + CONNECT to CONNACK, as the client sees it) are reported too.
 */
final class LoginBurstScenario {

    private static final Logger LOG = LoggerFactory.getLogger(LoginBurstScenario.class);
    static final int CLIENTS = 50;
    static final int PAIR_RATE = 200;
    /** Pair traffic before the first login starts and after the last one ends belongs to neither window. */
    private static final Duration SETTLE = Duration.ofMillis(300);
    private static final Duration LOGIN_WAIT = Duration.ofSeconds(120);

    private final BenchSettings settings;

    LoginBurstScenario(BenchSettings settings) {
        this.settings = settings;
    }

    /** One repeat's figures. */
    record Measured(Latencies.Summary quiet, Latencies.Summary burst, Latencies.Summary logins, double burstSeconds,
                    int failedLogins) {
    }

    void run() {
        Path out = settings.out();
        char[] password = BenchAccount.newPassword();
        try (NodeProcess node = new NodeProcess(settings.javaHome(), settings.jar(), settings.dataDir(), out.resolve("node-logins.log"))
                .start(List.of("-Xmx1g"), Duration.ofMinutes(3))) {
            BenchAccount.create(node, password);
            MqttEndpoint endpoint = new MqttEndpoint("amtbus", true, node.mqttPort, node.caFile(), BenchAccount.USER, password);
            System.out.println("Logins: " + CLIENTS + " concurrent TLS logins (Argon2id) beside a connected pair at " + PAIR_RATE
                    + " msg/s QoS 1, account '" + BenchAccount.USER + "', " + settings.repeats() + " repeat(s), quiet window "
                    + settings.runTime().toSeconds() + " s");
            measureOnce(endpoint, "warm-up"); // JIT, TLS and Argon2 code paths warm before anything counts
            List<Measured> runs = new ArrayList<>();
            for (int r = 0; r < settings.repeats(); r++) {
                runs.add(measureOnce(endpoint, "repeat " + (r + 1)));
            }
            report(runs);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private Measured measureOnce(MqttEndpoint endpoint, String label) {
        String runId = Long.toString(System.nanoTime(), 36);
        try (Pair pair = new Pair(endpoint, runId)) {
            pair.record(settings.runTime());
            Latencies.Summary quiet = pair.take();
            NodeProcess.sleep(SETTLE.toMillis());

            Latencies logins = new Latencies(CLIENTS);
            AtomicInteger failed = new AtomicInteger();
            List<Mqtt5AsyncClient> clients = java.util.Collections.synchronizedList(new ArrayList<>());
            CountDownLatch go = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(CLIENTS);
            for (int i = 0; i < CLIENTS; i++) {
                String clientId = "bench-login-" + runId + "-" + i;
                Thread.ofPlatform().name("bench-login-" + i).start(() -> {
                    try {
                        go.await();
                        long start = System.nanoTime();
                        clients.add(endpoint.connect(clientId));
                        logins.record(System.nanoTime() - start);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (IllegalStateException e) {
                        failed.incrementAndGet();
                        LOG.warn("login failed [client: {}, reason: {}]", clientId, e.getMessage());
                    } finally {
                        done.countDown();
                    }
                });
            }
            pair.startRecording();
            long burstStart = System.nanoTime();
            go.countDown();
            if (!done.await(LOGIN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the logins did not finish within " + LOGIN_WAIT);
            }
            double burstSeconds = (System.nanoTime() - burstStart) / 1e9;
            Latencies.Summary burst = pair.take();
            Measured m = new Measured(quiet, burst, logins.summary(), burstSeconds, failed.get());
            LOG.info("login burst [run: {}, quiet: {}, burst: {}, logins: {}, burstSeconds: {}, failed: {}]", label, quiet, burst,
                    m.logins(), burstSeconds, failed.get());
            for (Mqtt5AsyncClient c : clients) {
                c.disconnect();
            }
            return m;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void report(List<Measured> runs) {
        Report report = new Report("Logins: " + CLIENTS + " concurrent TLS logins beside a connected pair (" + PAIR_RATE
                + " msg/s, QoS 1)", "during burst", "no burst");
        String what = "pair publish->receive";
        report.add(what, "p50", median(runs, m -> m.burst().p50Ms()), median(runs, m -> m.quiet().p50Ms()), "ms",
                "median of " + runs.size());
        report.add(what, "p99", median(runs, m -> m.burst().p99Ms()), median(runs, m -> m.quiet().p99Ms()), "ms", "");
        report.add(what, "max", median(runs, m -> m.burst().maxMs()), median(runs, m -> m.quiet().maxMs()), "ms",
                "worst run " + Report.number(runs.stream().mapToDouble(m -> m.burst().maxMs()).max().orElse(Double.NaN)) + " ms");
        report.add(what, "samples", median(runs, m -> m.burst().count()), median(runs, m -> m.quiet().count()), "msgs",
                "burst window vs " + settings.runTime().toSeconds() + " s quiet window");
        String logins = CLIENTS + " logins";
        report.add(logins, "p50", median(runs, m -> m.logins().p50Ms()), Double.NaN, "ms", "TCP + TLS 1.3 + CONNECT->CONNACK");
        report.add(logins, "p99", median(runs, m -> m.logins().p99Ms()), Double.NaN, "ms", "");
        report.add(logins, "max", median(runs, m -> m.logins().maxMs()), Double.NaN, "ms", "");
        report.add(logins, "all done", median(runs, m -> m.burstSeconds() * 1000), Double.NaN, "ms",
                "failed logins: " + runs.stream().mapToInt(Measured::failedLogins).sum());
        report.writeMarkdown(settings.out().resolve("logins.md"));
        LOG.info("logins results written [dir: {}]", settings.out());
    }

    private static double median(List<Measured> runs, java.util.function.ToDoubleFunction<Measured> f) {
        return MqttScenario.median(runs.stream().map(m -> f.applyAsDouble(m)).toList());
    }

    /**
     * A connected publisher and subscriber on their own topic: the publisher sends at {@value #PAIR_RATE} msg/s with
     * its send time in the payload; the subscriber records latencies while recording is on.
     */
    private static final class Pair implements AutoCloseable {

        private final Mqtt5AsyncClient subscriber;
        private final Mqtt5AsyncClient publisher;
        private final String topic;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread pacer;
        private volatile Latencies recording;

        Pair(MqttEndpoint endpoint, String runId) {
            this.topic = "bench/pair/" + runId;
            this.subscriber = endpoint.connect("bench-pair-sub-" + runId);
            this.publisher = endpoint.connect("bench-pair-pub-" + runId);
            try {
                subscriber.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).callback(p -> {
                    long now = System.nanoTime();
                    Latencies into = recording;
                    if (into != null) {
                        ByteBuffer payload = p.getPayload().orElseThrow();
                        into.record(now - payload.getLong(payload.position()));
                    }
                }).send().get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("pair subscribe failed: " + e, e);
            }
            this.pacer = Thread.ofPlatform().name("bench-pair-publisher").start(this::publish);
        }

        private void publish() {
            long period = 1_000_000_000L / PAIR_RATE;
            long next = System.nanoTime();
            while (running.get()) {
                long now = System.nanoTime();
                if (now < next) {
                    LockSupport.parkNanos(next - now);
                    continue;
                }
                byte[] payload = new byte[MqttLoad.PAYLOAD_BYTES];
                ByteBuffer.wrap(payload).putLong(System.nanoTime());
                publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send();
                next += period;
            }
        }

        void startRecording() {
            recording = new Latencies(1_000_000);
        }

        /** Records for {@code window}, keeping the samples for {@link #take}. */
        void record(Duration window) {
            startRecording();
            NodeProcess.sleep(window.toMillis());
        }

        /** Stops recording and summarizes what was recorded since it started. */
        Latencies.Summary take() {
            Latencies r = recording;
            recording = null;
            return r == null ? Latencies.Summary.EMPTY : r.summary();
        }

        @Override
        public void close() {
            running.set(false);
            try {
                pacer.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            subscriber.disconnect();
            publisher.disconnect();
        }
    }
}
