package org.amtbus.bench.e2e;

import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.amtbus.platform.tls.TlsContexts;
import org.amtbus.platform.tls.TlsPolicy;
import org.amtbus.sim.amt.SimulatedDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario 2: CIRA scale. For each device count N: simulated machines (this process) dial the node's gateway
 * (-Xmx512m, its own process) with at most {@link #IN_FLIGHT} connecting at once, until the gateway's
 * {@code amtbus_cira_devices_online} says N - the full login each: TLS (P-384 certificate, the provider of
 * --tls-providers, one node per provider; a fresh client context so no session is resumed), APF, password check against the secret store, lease in PostgreSQL, presence and
 * audit on Kafka. Then heap after a full GC (jcmd), all N dropped at once, and all N redialling at once (the storm,
 * each machine backing off on its own as firmware does). The baseline, same run: {@link BareTlsServer} (same TLS
 * settings and certificate type, nothing else) in its own process, same N, same cap.
 */
final class CiraScenario {

    private static final Logger LOG = LoggerFactory.getLogger(CiraScenario.class);
    static final int IN_FLIGHT = 64;
    private static final String ONLINE = "amtbus_cira_devices_online";
    private static final String TLS_FAILED = "amtbus_cira_tls_failed_total";
    private static final String QUEUE_FULL = "amtbus_cira_refused_total{reason=\"login_queue_full\"}";
    private static final String QUEUE_EXPIRED = "amtbus_cira_refused_total{reason=\"login_queue_expired\"}";
    private static final Duration AT_MOST = Duration.ofMinutes(5);
    /**
     * Above this N only the idle hold is measured (heap and RSS per connection): no storm and no bare server, which
     * would double the run and the driver's sockets.
     */
    static final int FULL_MAX = 10_000;

    private final BenchSettings settings;

    CiraScenario(BenchSettings settings) {
        this.settings = settings;
    }

    /** What one N measured on one side. */
    record Figures(int devices, double connectSeconds, double connectCpuSeconds, double heapPerConnectionKib,
                   double rssPerConnectionKib, double stormSeconds, double stormCpuSeconds, long heapBaseKib,
                   long heapHeldKib, long stormFailures, long stormRefused) {
        double connectRate() {
            return devices / connectSeconds;
        }

        double perCpuSecond() {
            return devices / connectCpuSeconds;
        }
    }

    void run() {
        int max = settings.devices().stream().mapToInt(Integer::intValue).max().orElseThrow();
        List<String> heap = List.of("-Xmx512m");
        Report report = new Report("CIRA: one gateway (node -Xmx512m) vs bare TLS server, TLS provider "
                + String.join(" then ", settings.tlsProviders()), "gateway", "bare TLS");
        SvgBarChart rate = new SvgBarChart("CIRA logins/s, " + IN_FLIGHT + " connecting at once (P-384; N and TLS provider)",
                "connections/s", List.of("gateway: TLS+APF+auth+lease", "bare TLS (same cert, same provider)"));
        SvgBarChart memory = new SvgBarChart("Heap per idle connection after full GC", "KiB per connection",
                List.of("gateway", "bare TLS"));
        for (String provider : settings.tlsProviders()) {
            measure(provider, max, heap, report, rate, memory);
        }
        report.writeMarkdown(settings.out().resolve("cira.md"));
        rate.write(settings.out().resolve("cira-logins.svg"));
        memory.write(settings.out().resolve("cira-heap.svg"));
    }

    /** One node with the CIRA listener on {@code provider}, every N, each beside the bare server on the same provider. */
    private void measure(String provider, int max, List<String> heap, Report report, SvgBarChart rate, SvgBarChart memory) {
        try (NodeProcess node = new NodeProcess(settings.javaHome(), settings.jar(), settings.dataDir(),
                settings.out().resolve("node-cira-" + provider + ".log")).env("AMTBUS_CIRA_TLSPROVIDER", provider)
                .start(heap, Duration.ofMinutes(3))) {
            long t0 = System.nanoTime();
            List<SimulatedDevice> all = BenchDevices.ensure(node, max);
            LOG.info("bench devices ready [count: {}, seconds: {}]", all.size(), (System.nanoTime() - t0) / 1_000_000_000);
            X509Certificate ca = certificate(node.caFile());
            InetSocketAddress gateway = new InetSocketAddress(InetAddress.getLoopbackAddress(), node.ciraPort);
            NodeMetrics metrics = new NodeMetrics(node.metricsUrl());
            System.out.println("CIRA: up to " + max + " simulated machines, node heap -Xmx512m, " + IN_FLIGHT
                    + " handshakes in flight at most (client-side cap); CIRA TLS provider: " + provider
                    + "; baseline: bare TLS server on the same provider in its own JVM; simulated machines' TLS: "
                    + CLIENT_TLS.name().toLowerCase(java.util.Locale.ROOT));
            for (int n : settings.devices()) {
                String what = String.format("%,d devices, %s", n, provider);
                if (n > FULL_MAX) {
                    Figures ours = gateway(node, metrics, ca, gateway, all.subList(0, n), false);
                    report.add(what, "logins/s", ours.connectRate(), Double.NaN, "conn/s", String.format(
                            "idle hold only (N > %,d: no storm, no bare server); connect all: %.1f s", FULL_MAX, ours.connectSeconds()));
                    report.add(what, "per CPU-s", ours.perCpuSecond(), Double.NaN, "conn/server-CPU-s", "");
                    report.add(what, "heap/conn", ours.heapPerConnectionKib(), Double.NaN, "KiB", String.format(
                            "heap after GC: %d MiB with 0 connections, %d MiB with %,d (node -Xmx512m)",
                            ours.heapBaseKib() / 1024, ours.heapHeldKib() / 1024, n));
                    report.add(what, "RSS/conn", ours.rssPerConnectionKib(), Double.NaN, "KiB", "");
                    memory.add(String.format("%,d %s", n, provider), ours.heapPerConnectionKib(), Double.NaN);
                    extrapolate(ours);
                    continue;
                }
                Figures ours = gateway(node, metrics, ca, gateway, all.subList(0, n), true);
                Figures bare = bare(ca, node.dataDir.resolve("tls"), heap, n, provider);
                report.add(what, "logins/s", ours.connectRate(), bare.connectRate(), "conn/s", String.format(
                        "connect all: %.1f s vs %.1f s", ours.connectSeconds(), bare.connectSeconds()));
                report.add(what, "per CPU-s", ours.perCpuSecond(), bare.perCpuSecond(), "conn/server-CPU-s", "");
                report.add(what, "heap/conn", ours.heapPerConnectionKib(), bare.heapPerConnectionKib(), "KiB",
                        "heap after GC with 0 connections: " + ours.heapBaseKib() / 1024 + " MiB vs " + bare.heapBaseKib() / 1024
                                + " MiB; with " + n + ": " + ours.heapHeldKib() / 1024 + " MiB");
                report.add(what, "RSS/conn", ours.rssPerConnectionKib(), bare.rssPerConnectionKib(), "KiB", "");
                report.add(what, "storm", ours.stormSeconds(), bare.stormSeconds(), "s", String.format(
                        "all %d drop and redial at once, no cap: gateway until all online (failed TLS handshakes retried "
                                + "with back-off: %d; closed before TLS by the login queue, full or waited too long: %d); bare until every attempt "
                                + "ended (%d failed, not retried); server CPU %.1f s vs %.1f s",
                        n, ours.stormFailures(), ours.stormRefused(), bare.stormFailures(), ours.stormCpuSeconds(), bare.stormCpuSeconds()));
                report.add(what, "storm/CPU-s", n / ours.stormCpuSeconds(), n / bare.stormCpuSeconds(), "logins/server-CPU-s", "");
                rate.add(String.format("%,d %s", n, provider), ours.connectRate(), bare.connectRate());
                memory.add(String.format("%,d %s", n, provider), ours.heapPerConnectionKib(), bare.heapPerConnectionKib());
                extrapolate(ours);
            }
        }
    }

    private Figures gateway(NodeProcess node, NodeMetrics metrics, X509Certificate ca, InetSocketAddress target,
                            List<SimulatedDevice> devices, boolean withStorm) {
        int n = devices.size();
        Duration atMost = atMost(n);
        long heapBase = ProcessStats.heapUsedAfterGcKib(settings.javaHome(), node.pid());
        long rssBase = ProcessStats.rssKib(node.pid());
        double cpu0 = ProcessStats.cpuSeconds(node.pid());
        long start = System.nanoTime();
        double connectSeconds;
        double connectCpu;
        long heapHeld;
        long rssHeld;
        try (PacedFleet fleet = new PacedFleet(clientContext(ca), target)) {
            fleet.start(devices, IN_FLIGHT);
            require(PacedFleet.await(() -> metrics.count(ONLINE), n, atMost), "gateway: " + n + " online", metrics);
            connectSeconds = (System.nanoTime() - start) / 1e9;
            connectCpu = ProcessStats.cpuSeconds(node.pid()) - cpu0;
            NodeProcess.sleep(2_000);
            heapHeld = ProcessStats.heapUsedAfterGcKib(settings.javaHome(), node.pid());
            rssHeld = ProcessStats.rssKib(node.pid());
            ProcessStats.classHistogram(settings.javaHome(), node.pid(), settings.out().resolve("node-histogram-" + n + ".txt"));
        }
        require(PacedFleet.await(() -> n - metrics.count(ONLINE), n, atMost), "gateway: all dropped", metrics);
        if (!withStorm) {
            Figures f = new Figures(n, connectSeconds, connectCpu, (heapHeld - heapBase) / (double) n,
                    (rssHeld - rssBase) / (double) n, Double.NaN, Double.NaN, heapBase, heapHeld, 0, 0);
            LOG.info("gateway figures (idle hold only) {}", f);
            return f;
        }
        double cpu1 = ProcessStats.cpuSeconds(node.pid());
        long tlsFailedBefore = metrics.count(TLS_FAILED);
        long refusedBefore = Math.max(0, metrics.count(QUEUE_FULL)) + Math.max(0, metrics.count(QUEUE_EXPIRED));
        long stormStart = System.nanoTime();
        double stormSeconds;
        try (PacedFleet storm = new PacedFleet(clientContext(ca), target)) {
            storm.start(devices, n);
            require(PacedFleet.await(() -> metrics.count(ONLINE), n, atMost), "storm: " + n + " online", metrics);
            stormSeconds = (System.nanoTime() - stormStart) / 1e9;
        }
        double stormCpu = ProcessStats.cpuSeconds(node.pid()) - cpu1;
        long stormFailures = metrics.count(TLS_FAILED) - tlsFailedBefore;
        long stormRefused = Math.max(0, metrics.count(QUEUE_FULL)) + Math.max(0, metrics.count(QUEUE_EXPIRED)) - refusedBefore;
        PacedFleet.await(() -> n - metrics.count(ONLINE), n, atMost);
        Figures f = new Figures(n, connectSeconds, connectCpu, (heapHeld - heapBase) / (double) n,
                (rssHeld - rssBase) / (double) n, stormSeconds, stormCpu, heapBase, heapHeld, stormFailures, stormRefused);
        LOG.info("gateway figures {}", f);
        return f;
    }

    private Figures bare(X509Certificate ca, Path tlsDir, List<String> heap, int n, String provider) {
        try (BareTlsProcess server = new BareTlsProcess(settings.javaHome(), tlsDir, heap, provider)) {
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port);
            try (TlsDialer warmUp = new TlsDialer()) { // the gateway's JIT is warm from the node's start; warm this one too
                warmUp.dial(clientContext(ca), target, Math.min(n, 500), IN_FLIGHT);
            }
            long heapBase = ProcessStats.heapUsedAfterGcKib(settings.javaHome(), server.pid());
            long rssBase = ProcessStats.rssKib(server.pid());
            double cpu0 = ProcessStats.cpuSeconds(server.pid());
            long start = System.nanoTime();
            double connectSeconds;
            double connectCpu;
            long heapHeld;
            long rssHeld;
            try (TlsDialer dialer = new TlsDialer()) {
                dialer.dial(clientContext(ca), target, n, IN_FLIGHT);
                connectSeconds = (System.nanoTime() - start) / 1e9;
                connectCpu = ProcessStats.cpuSeconds(server.pid()) - cpu0;
                NodeProcess.sleep(2_000);
                heapHeld = ProcessStats.heapUsedAfterGcKib(settings.javaHome(), server.pid());
                rssHeld = ProcessStats.rssKib(server.pid());
                if (dialer.failed.get() > 0) {
                    LOG.warn("bare TLS handshakes failed [count: {}]", dialer.failed.get());
                }
            }
            double cpu1 = ProcessStats.cpuSeconds(server.pid());
            long stormStart = System.nanoTime();
            double stormSeconds;
            long stormFailures;
            try (TlsDialer storm = new TlsDialer()) {
                storm.dial(clientContext(ca), target, n, n);
                stormSeconds = (System.nanoTime() - stormStart) / 1e9;
                stormFailures = storm.failed.get();
                if (storm.failed.get() > 0) {
                    LOG.warn("bare TLS storm: handshakes failed (not retried) [count: {}, of: {}]", storm.failed.get(), n);
                }
            }
            double stormCpu = ProcessStats.cpuSeconds(server.pid()) - cpu1;
            Figures f = new Figures(n, connectSeconds, connectCpu, (heapHeld - heapBase) / (double) n,
                    (rssHeld - rssBase) / (double) n, stormSeconds, stormCpu, heapBase, heapHeld, stormFailures, 0);
            LOG.info("bare TLS figures {}", f);
            return f;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void extrapolate(Figures f) {
        double heap25k = (f.heapBaseKib() + 25_000 * f.heapPerConnectionKib()) / 1024;
        double storm10k = 10_000 / f.perCpuSecond();
        System.out.printf("  extrapolated from %,d: 25,000 idle devices need about %.0f MiB heap (target <= 512); "
                        + "a storm of 10,000 needs about %.0f server CPU-seconds of logins (target < 20 s wall)%n",
                f.devices(), heap25k, storm10k);
    }

    /** Five minutes, or more for a fleet that takes longer to log in at 50 a second. */
    private static Duration atMost(int n) {
        Duration byCount = Duration.ofSeconds(n / 50);
        return byCount.compareTo(AT_MOST) > 0 ? byCount : AT_MOST;
    }

    private static void require(boolean ok, String what, NodeMetrics metrics) {
        if (!ok) {
            throw new IllegalStateException(what + " not reached in time (online now: " + metrics.count(ONLINE) + ")");
        }
    }

    /**
     * A fresh client context per fleet whose machines never offer a cached session (see {@link FullHandshakeContext}):
     * the figures are full handshakes. Before issue 10's TLS work the fleet's machines resumed each other's sessions
     * against the JDK provider, which flattered the gateway's JDK figures.
     */
    private static SslContext clientContext(X509Certificate ca) {
        return new FullHandshakeContext(TlsContexts.clientContext(ca, TlsPolicy.CIRA, Optional.empty(), CLIENT_TLS));
    }

    /**
     * The simulated machines' TLS: the JDK's by default; {@code AMTBUS_BENCH_CLIENT_TLS=openssl} takes BoringSSL, so
     * the load generator, which shares the 2 cores with the node, spends less of them on P-384 verification and ECDHE.
     */
    static final io.netty.handler.ssl.SslProvider CLIENT_TLS =
            "openssl".equalsIgnoreCase(System.getenv("AMTBUS_BENCH_CLIENT_TLS"))
                    ? io.netty.handler.ssl.SslProvider.OPENSSL : io.netty.handler.ssl.SslProvider.JDK;

    static X509Certificate certificate(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("bad certificate " + file, e);
        }
    }
}
