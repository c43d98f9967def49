package org.amtbus.bench.e2e;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.amtbus.platform.db.Database;
import org.amtbus.platform.tls.TlsContexts;
import org.amtbus.platform.tls.TlsPolicy;
import org.amtbus.sim.amt.SimulatedDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario 3: commands end to end. {@link #DEVICES} simulated machines (this process) held by the node's gateway;
 * an operator (the superuser, over MQTT/TLS) sends commands at each fixed rate for a bounded time: broker -> Kafka ->
 * router (schema, re-authorization, ledger in PostgreSQL) -> Kafka -> gateway -> WS-Man over APF -> simulated machine
 * -> back the same way to MQTT. Baseline, same run, same client and broker: an MQTT QoS 1 publish -> delivery at the
 * same rate, the broker hop alone.
 */
final class CommandsScenario {

    private static final Logger LOG = LoggerFactory.getLogger(CommandsScenario.class);
    static final int DEVICES = 100;
    private static final Duration GRACE = Duration.ofSeconds(30);

    private final BenchSettings settings;

    CommandsScenario(BenchSettings settings) {
        this.settings = settings;
    }

    /** The node's CPU seconds per second while no command is sent: Kafka, polling loops, heartbeats. */
    private static double idleCpuPerSecond(long pid, Duration window) {
        double c0 = ProcessStats.cpuSeconds(pid);
        long t0 = System.nanoTime();
        NodeProcess.sleep(window.toMillis());
        return (ProcessStats.cpuSeconds(pid) - c0) / ((System.nanoTime() - t0) / 1e9);
    }

    void run() throws Exception {
        Duration runTime = settings.runTime().compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofSeconds(10) : settings.runTime();
        Report report = new Report("Commands end to end (" + CommandLoad.ACTION + ", " + DEVICES + " devices)", "command",
                "MQTT hop");
        SvgBarChart chart = new SvgBarChart("Command latency, MQTT publish -> MQTT result (" + DEVICES + " simulated devices)",
                "ms", List.of("command p50", "command p99", "MQTT hop p99 (baseline)"));
        try (NodeProcess node = new NodeProcess(settings.javaHome(), settings.jar(), settings.dataDir(),
                settings.out().resolve("node-commands.log")).start(List.of("-Xmx1g"), Duration.ofMinutes(3));
             Database db = Database.connectToRunningEmbedded(node.dataDir, node.databasePort)) {
            List<SimulatedDevice> devices = BenchDevices.ensure(node, DEVICES);
            NodeMetrics metrics = new NodeMetrics(node.metricsUrl());
            char[] password = node.adminPassword();
            try (PacedFleet fleet = new PacedFleet(TlsContexts.clientContext(CiraScenario.certificate(node.caFile()),
                    TlsPolicy.CIRA, Optional.empty()), new InetSocketAddress(InetAddress.getLoopbackAddress(), node.ciraPort))) {
                fleet.start(devices, CiraScenario.IN_FLIGHT);
                if (!PacedFleet.await(() -> metrics.count("amtbus_cira_devices_online"), DEVICES, Duration.ofMinutes(2))) {
                    throw new IllegalStateException("devices did not come online");
                }
                MqttEndpoint endpoint = new MqttEndpoint("amtbus", true, node.mqttPort, node.caFile(), "admin", password);
                Mqtt5AsyncClient operator = endpoint.connect("bench-operator-" + Long.toString(System.nanoTime(), 36));
                try {
                    List<UUID> guids = devices.stream().map(SimulatedDevice::guid).toList();
                    CommandLoad load = new CommandLoad(operator, BenchDevices.TENANT, guids);
                    System.out.println("Commands: " + DEVICES + " simulated devices, " + CommandLoad.ACTION + ", "
                            + runTime.toSeconds() + " s per rate, operator = superuser over MQTT/TLS QoS 1");
                    load.run(50, Duration.ofSeconds(4), GRACE); // warm-up: JIT, Kafka, connection pools; not reported
                    double idle = idleCpuPerSecond(node.pid(), Duration.ofSeconds(5));
                    System.out.printf("node CPU with no commands: %.0f ms per second%n", idle * 1000);
                    for (int rate : settings.rates()) {
                        Instant started = Instant.now().minusSeconds(1);
                        PostgresCounters pg0 = PostgresCounters.read(db.dataSource());
                        long self = ProcessHandle.current().pid();
                        double cpu0 = ProcessStats.cpuSeconds(node.pid());
                        long t0 = System.nanoTime();
                        double pgCpu0 = ProcessStats.treeCpuSeconds(node.postgresPid());
                        double loadCpu0 = ProcessStats.cpuSeconds(self);
                        CommandLoad.Result r = load.run(rate, runTime, GRACE);
                        double perCommand = 1000.0 / Math.max(1, r.answered());
                        double cpuMs = (ProcessStats.cpuSeconds(node.pid()) - cpu0) * perCommand;
                        double busyMs = cpuMs - idle * (System.nanoTime() - t0) / 1e9 * perCommand;
                        double pgCpuMs = (ProcessStats.treeCpuSeconds(node.postgresPid()) - pgCpu0) * perCommand;
                        double loadCpuMs = (ProcessStats.cpuSeconds(self) - loadCpu0) * perCommand;
                        PostgresCounters pg1 = PostgresCounters.read(db.dataSource());
                        double commits = (pg1.commits() - pg0.commits()) / (double) Math.max(1, r.answered());
                        CommandStages.Breakdown stages = CommandStages.measure(db.dataSource(), load.wallTimes(), started,
                                Duration.ofSeconds(30));
                        MqttLoad.Result hop = new MqttLoad(endpoint, 1, MqttQos.AT_LEAST_ONCE).paced(runTime, rate);
                        String what = String.format("%,d commands/s", rate);
                        String answered = String.format("%d/%d answered, %s", r.answered(), r.sent(), r.statuses());
                        report.add(what, "p50", r.latency().p50Ms(), hop.latency().p50Ms(), "ms", answered);
                        report.add(what, "p99", r.latency().p99Ms(), hop.latency().p99Ms(), "ms", String.format(
                                "target < 50 ms at 500/s; per command: %.1f PostgreSQL commits (fsync=%s), CPU-ms node %.1f (%.1f above "
                                        + "its idle), PostgreSQL %.1f, load and simulators %.1f", commits, pg1.fsync(), cpuMs,
                                busyMs, pgCpuMs, loadCpuMs));
                        report.add(what, "max", r.latency().maxMs(), hop.latency().maxMs(), "ms",
                                stages == null ? "" : stages.describe());
                        chart.add(what, r.latency().p50Ms(), r.latency().p99Ms(), hop.latency().p99Ms());
                    }
                } finally {
                    operator.disconnect();
                }
            } finally {
                Arrays.fill(password, '\0');
            }
        }
        report.writeMarkdown(settings.out().resolve("commands.md"));
        chart.write(settings.out().resolve("commands-latency.svg"));
        LOG.info("commands results written [dir: {}]", settings.out());
    }
}
