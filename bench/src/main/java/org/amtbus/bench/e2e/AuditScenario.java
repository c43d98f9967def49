package org.amtbus.bench.e2e;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.amtbus.platform.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario 4: the audit trail. A load in this process writes {@code --events} valid audit events to Kafka
 * {@code amtbus.audit} as fast as Kafka takes them; the node's audit sink validates, chains and stores them (one
 * PostgreSQL transaction per poll). The figure is events/s from the first send until the sink's own counter
 * ({@code amtbus_audit_sink_stored_total}) shows them all stored. Then {@code amtbus audit verify} (its own process)
 * checks every chain. Baselines, same run, same PostgreSQL: a raw batched INSERT of the same rows, raw SHA-256 chaining
 * of the same bytes, a raw read-and-hash of every stored event. PostgreSQL's own counters show how many events share
 * one commit and one WAL sync.
 */
final class AuditScenario {

    private static final Logger LOG = LoggerFactory.getLogger(AuditScenario.class);
    static final String STORED = "amtbus_audit_sink_stored_total";
    /** The sink stores what one poll returns, at most {@code audit.maxBatch} records; the baseline commits this many. */
    static final int SINK_BATCH = org.amtbus.audit.sink.AuditSinkConfig.DEFAULT_MAX_BATCH;
    private static final int WARM_UP = 20_000;
    private static final Pattern INTACT = Pattern.compile("intact: (\\d+) events");

    private final BenchSettings settings;

    AuditScenario(BenchSettings settings) {
        this.settings = settings;
    }

    void run() throws Exception {
        int n = settings.events();
        Report report = new Report("Audit: chained and stored, verified (" + String.format("%,d", n) + " events per run)",
                "amtbus", "raw baseline");
        SvgBarChart chart = new SvgBarChart("Audit events per second (" + String.format("%,d", n) + " events per run)",
                "events/s", List.of("amtbus", "raw baseline, same run"));
        try (NodeProcess node = new NodeProcess(settings.javaHome(), settings.jar(), settings.dataDir(),
                settings.out().resolve("node-audit.log")).start(List.of("-Xmx1g"), Duration.ofMinutes(3));
             Database db = Database.connectToRunningEmbedded(node.dataDir, node.databasePort);
             AuditLoad load = new AuditLoad("127.0.0.1:" + node.kafkaPort)) {
            NodeMetrics metrics = new NodeMetrics(node.metricsUrl());
            PostgresCounters durability = PostgresCounters.read(db.dataSource());
            System.out.println("Audit: " + String.format("%,d", n) + " events per run, " + AuditLoad.STREAMS
                    + " streams, PostgreSQL fsync=" + durability.fsync() + ", synchronous_commit=" + durability.synchronousCommit());
            store(node, metrics, db, load, AuditLoad.events(WARM_UP, "w" + Long.toString(System.nanoTime(), 36)));
            List<AuditLoad.Event> last = List.of();
            for (int r = 1; r <= settings.repeats(); r++) {
                last = AuditLoad.events(n, "r" + r + Long.toString(System.nanoTime(), 36));
                Stored s = store(node, metrics, db, load, last);
                double raw = AuditBaselines.insertRate(db.dataSource(), last, SINK_BATCH);
                String what = "chain + store, run " + r;
                report.add(what, "events/s", s.rate(), raw, "events/s", String.format(
                        "%.0f events per commit, %.0f per WAL sync (fsync=%s); Kafka took the load in %.1f s; node %.0f events per CPU-s; "
                                + "baseline: one INSERT of %d rows per commit, same indexes, into an empty table",
                        s.perCommit(), s.perWalSync(), durability.fsync(), s.sentSeconds(), s.perNodeCpuSecond(), SINK_BATCH));
                chart.add("chain + store (run " + r + ")", s.rate(), raw);
            }
            double sha = AuditBaselines.chainRate(last);
            report.add("SHA-256 chaining alone", "events/s", Double.NaN, sha, "events/s",
                    "raw MessageDigest, one thread, the same event bytes");

            NodeProcess.OperatorRun startOnly = node.operatorOutput(List.of("audit", "keys"), Duration.ofMinutes(2));
            NodeProcess.OperatorRun verify = node.operatorOutput(List.of("audit", "verify"), Duration.ofMinutes(10));
            Matcher m = INTACT.matcher(verify.output());
            if (verify.exitCode() != 0 || !m.find()) {
                throw new IllegalStateException("amtbus audit verify failed (exit " + verify.exitCode() + "): "
                        + verify.output().lines().reduce((a, b) -> b).orElse(""));
            }
            long verified = Long.parseLong(m.group(1));
            double verifySeconds = Math.max(0.001, verify.seconds() - startOnly.seconds());
            double[] readHash = AuditBaselines.readAndHashRate(db.dataSource());
            report.add("verify all streams", "events/s", verified / verifySeconds, readHash[1], "events/s", String.format(
                    "%,d events; amtbus audit verify took %.1f s, less %.1f s for a CLI start (amtbus audit keys); "
                            + "baseline: one SELECT of bytes and hashes in chain order, hashed again", verified,
                    verify.seconds(), startOnly.seconds()));
            report.add("verify all streams, CLI wall time", "events/s", verified / verify.seconds(), Double.NaN, "events/s",
                    "including the JVM start and connecting");
            chart.add("verify (all stored)", verified / verifySeconds, readHash[1]);
        }
        report.writeMarkdown(settings.out().resolve("audit.md"));
        chart.write(settings.out().resolve("audit-throughput.svg"));
        LOG.info("audit results written [dir: {}]", settings.out());
    }

    /** One measured batch: events/s end to end, and how the node and PostgreSQL spent it. */
    record Stored(double rate, double sentSeconds, double perCommit, double perWalSync, double perNodeCpuSecond) {
    }

    private static Stored store(NodeProcess node, NodeMetrics metrics, Database db, AuditLoad load,
                                List<AuditLoad.Event> events) throws Exception {
        long before = metrics.count(STORED);
        if (before < 0) {
            throw new IllegalStateException("the node does not expose " + STORED);
        }
        PostgresCounters pg0 = PostgresCounters.read(db.dataSource());
        double cpu0 = ProcessStats.cpuSeconds(node.pid());
        long t0 = System.nanoTime();
        load.send(events);
        double sent = (System.nanoTime() - t0) / 1e9;
        long target = before + events.size();
        long deadline = System.nanoTime() + Duration.ofSeconds(60 + events.size() / 2_000).toNanos();
        long stored = before;
        while (stored < target && System.nanoTime() < deadline) {
            NodeProcess.sleep(50);
            stored = metrics.count(STORED);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (stored < target) {
            throw new IllegalStateException("the sink stored " + (stored - before) + " of " + events.size() + " events in time");
        }
        double cpu = ProcessStats.cpuSeconds(node.pid()) - cpu0;
        PostgresCounters pg1 = PostgresCounters.read(db.dataSource());
        long commits = Math.max(1, pg1.commits() - pg0.commits());
        long syncs = pg1.walSyncs() - pg0.walSyncs();
        Stored s = new Stored(events.size() / seconds, sent, events.size() / (double) commits,
                syncs > 0 ? events.size() / (double) syncs : Double.NaN, events.size() / cpu);
        LOG.info("audit run [events: {}, sentSeconds: {}, seconds: {}, eventsPerSecond: {}, commits: {}, walSyncs: {}, nodeCpuSeconds: {}]",
                events.size(), sent, seconds, s.rate(), commits, syncs, cpu);
        return s;
    }
}
