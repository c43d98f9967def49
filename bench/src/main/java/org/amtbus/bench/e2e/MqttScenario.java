package org.amtbus.bench.e2e;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario 1: MQTT throughput and latency, our broker (ACL enforced, ordinary account) against Mosquitto with an
 * equivalent ACL, same HiveMQ client, same run, alternating which goes first. For each of TLS/plain x 1->1/10->10 x
 * QoS 0/1: a saturating run (msg/s, and msg per broker CPU-second) and a run paced at {@link #PACED_RATE} msg/s
 * (p50/p99 latency). One unreported run per listener warms the JIT first.
 */
final class MqttScenario {

    private static final Logger LOG = LoggerFactory.getLogger(MqttScenario.class);
    static final int PACED_RATE = 1_000;

    private final BenchSettings settings;

    MqttScenario(BenchSettings settings) {
        this.settings = settings;
    }

    /** One case: TLS or not, publisher/subscriber pairs, QoS. */
    record Case(boolean tls, int pairs, MqttQos qos) {
        String label() {
            return String.format(Locale.ROOT, "QoS%d %d->%d %s", qos.getCode(), pairs, pairs, tls ? "TLS" : "plain");
        }
    }

    /** Medians over the repeats of one broker in one case. */
    record Measured(List<Double> rate, List<Double> ratePerCpu, List<Double> p50, List<Double> p99, List<Double> loss,
                    List<Boolean> stalled) {
        static Measured empty() {
            return new Measured(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                    new ArrayList<>());
        }

        String stalls() {
            long n = stalled.stream().filter(b -> b).count();
            return n == 0 ? "" : "; STALLED " + n + "/" + stalled.size();
        }
    }

    void run() {
        if (!Mosquitto.installed()) {
            throw new IllegalStateException("no " + Mosquitto.BINARY + ": apt-get install mosquitto (bench/run does it as root)");
        }
        Path out = settings.out();
        char[] password = BenchAccount.newPassword();
        try (NodeProcess node = new NodeProcess(settings.javaHome(), settings.jar(), settings.dataDir(), out.resolve("node-mqtt.log"))
                .start(List.of("-Xmx1g"), java.time.Duration.ofMinutes(3))) {
            BenchAccount.create(node, password);
            Path tls = node.dataDir.resolve("tls");
            try (Mosquitto mosquitto = new Mosquitto(out.resolve("mosquitto"))
                    .start(tls.resolve("broker.crt"), tls.resolve("broker.key"), tls.resolve("ca.crt"), BenchAccount.USER,
                            password, BenchAccount.TOPICS)) {
                String baselineName = mosquitto.version();
                System.out.println("MQTT: amtbus broker (ACL enforced, account '" + BenchAccount.USER + "') vs " + baselineName
                        + " (password file + ACL file), HiveMQ MQTT 5 client, " + MqttLoad.PAYLOAD_BYTES + "-byte payloads, "
                        + settings.repeats() + " repeat(s) of " + settings.runTime().toSeconds() + " s per run");
                Map<Case, Measured[]> results = measure(node, mosquitto, password);
                report(results, baselineName);
            }
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private Map<Case, Measured[]> measure(NodeProcess node, Mosquitto mosquitto, char[] password) {
        Map<Case, Measured[]> results = new LinkedHashMap<>();
        warmUp(node, mosquitto, password);
        for (int repeat = 0; repeat < settings.repeats(); repeat++) {
            for (boolean tls : new boolean[] {true, false}) {
                MqttEndpoint ours = new MqttEndpoint("amtbus", tls, tls ? node.mqttPort : node.plainMqttPort, node.caFile(),
                        BenchAccount.USER, password);
                MqttEndpoint theirs = new MqttEndpoint("mosquitto", tls, tls ? mosquitto.tlsPort : mosquitto.plainPort,
                        node.caFile(), BenchAccount.USER, password);
                for (int pairs : new int[] {1, 10}) {
                    for (MqttQos qos : new MqttQos[] {MqttQos.AT_MOST_ONCE, MqttQos.AT_LEAST_ONCE}) {
                        Case c = new Case(tls, pairs, qos);
                        Measured[] m = results.computeIfAbsent(c, k -> new Measured[] {Measured.empty(), Measured.empty()});
                        boolean oursFirst = repeat % 2 == 0;
                        for (int k = 0; k < 2; k++) {
                            boolean isOurs = (k == 0) == oursFirst;
                            measureOne(isOurs ? ours : theirs, isOurs ? node.pid() : mosquitto.pid(), c, m[isOurs ? 0 : 1]);
                        }
                    }
                }
            }
        }
        return results;
    }

    /** One unreported saturating run per listener, so the node's JIT is warm before anything counts. */
    private void warmUp(NodeProcess node, Mosquitto mosquitto, char[] password) {
        for (boolean tls : new boolean[] {true, false}) {
            for (MqttEndpoint e : List.of(
                    new MqttEndpoint("amtbus", tls, tls ? node.mqttPort : node.plainMqttPort, node.caFile(), BenchAccount.USER, password),
                    new MqttEndpoint("mosquitto", tls, tls ? mosquitto.tlsPort : mosquitto.plainPort, node.caFile(), BenchAccount.USER, password))) {
                for (MqttQos qos : new MqttQos[] {MqttQos.AT_MOST_ONCE, MqttQos.AT_LEAST_ONCE}) {
                    try {
                        new MqttLoad(e, 1, qos).saturate(java.time.Duration.ofSeconds(1));
                    } catch (IllegalStateException ex) {
                        LOG.warn("warm-up run failed [target: {}, reason: {}]", e.label(), ex.getMessage());
                    }
                }
            }
        }
        LOG.info("warm-up done; measuring");
    }

    private void measureOne(MqttEndpoint endpoint, long brokerPid, Case c, Measured into) {
        MqttLoad load = new MqttLoad(endpoint, c.pairs(), c.qos(), () -> ProcessStats.cpuSeconds(brokerPid));
        try {
            measureRuns(load, into);
        } catch (IllegalStateException e) {
            LOG.warn("run failed, counted as missing [target: {}, case: {}, reason: {}]", endpoint.label(), c.label(), e.getMessage());
            into.rate().add(Double.NaN);
            into.loss().add(100.0);
            into.stalled().add(true);
        }
    }

    private void measureRuns(MqttLoad load, Measured into) {
        MqttLoad.Result saturated = load.saturate(settings.runTime());
        double cpu = saturated.brokerCpuSeconds(); // publishing only, not the logins
        into.rate().add(saturated.messagesPerSecond());
        into.ratePerCpu().add(cpu > 0 ? saturated.received() / cpu : Double.NaN);
        into.loss().add(saturated.lossPercent());
        into.stalled().add(saturated.stalled());
        MqttLoad.Result paced = load.paced(settings.runTime(), PACED_RATE);
        into.p50().add(paced.latency().p50Ms());
        into.p99().add(paced.latency().p99Ms());
    }

    private void report(Map<Case, Measured[]> results, String baselineName) {
        Report report = new Report("MQTT: amtbus broker vs " + baselineName, "amtbus", "mosquitto");
        SvgBarChart throughput = new SvgBarChart("MQTT throughput, 100 B payloads (median of " + settings.repeats()
                + " runs, shared 2 vCPU)", "delivered msg/s", List.of("amtbus (ACL)", baselineName + " (ACL)"));
        SvgBarChart latency = new SvgBarChart("MQTT p99 latency at " + PACED_RATE + " msg/s (median of " + settings.repeats()
                + " runs)", "p99 ms", List.of("amtbus (ACL)", baselineName + " (ACL)"));
        for (Map.Entry<Case, Measured[]> e : results.entrySet()) {
            String label = e.getKey().label();
            Measured ours = e.getValue()[0];
            Measured theirs = e.getValue()[1];
            report.add(label, "msg/s", median(ours.rate()), median(theirs.rate()), "msg/s",
                    "spread " + spread(ours.rate()) + " vs " + spread(theirs.rate()) + "; loss "
                            + Report.number(max(ours.loss())) + "% vs " + Report.number(max(theirs.loss())) + "%" + ours.stalls()
                            + (theirs.stalls().isEmpty() ? "" : " (mosquitto" + theirs.stalls() + ")"));
            report.add(label, "per CPU-s", median(ours.ratePerCpu()), median(theirs.ratePerCpu()), "msg/broker-CPU-s", "");
            report.add(label, "p50", median(ours.p50()), median(theirs.p50()), "ms", "at " + PACED_RATE + " msg/s");
            report.add(label, "p99", median(ours.p99()), median(theirs.p99()), "ms", "spread " + spread(ours.p99())
                    + " vs " + spread(theirs.p99()));
            throughput.add(label, median(ours.rate()), median(theirs.rate()));
            latency.add(label, median(ours.p99()), median(theirs.p99()));
        }
        report.writeMarkdown(settings.out().resolve("mqtt.md"));
        throughput.write(settings.out().resolve("mqtt-throughput.svg"));
        latency.write(settings.out().resolve("mqtt-latency-p99.svg"));
        LOG.info("mqtt results written [dir: {}]", settings.out());
    }

    static double median(List<Double> values) {
        double[] v = values.stream().filter(d -> !Double.isNaN(d)).mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    static String spread(List<Double> values) {
        ToDoubleFunction<Double> id = Double::doubleValue;
        double lo = values.stream().mapToDouble(id).min().orElse(Double.NaN);
        double hi = values.stream().mapToDouble(id).max().orElse(Double.NaN);
        return Report.number(lo) + "-" + Report.number(hi);
    }
}
