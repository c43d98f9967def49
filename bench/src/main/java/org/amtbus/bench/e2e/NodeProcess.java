package org.amtbus.bench.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@code amtbus run} node in a process of its own, on loopback ports this bench picked. Its output goes to a log
 * file; it is ready when it prints "Press Ctrl-C to stop.". Stopped by its PID (SIGTERM, then SIGKILL after 60 s).
 */
final class NodeProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeProcess.class);
    private static final String READY = "Press Ctrl-C to stop.";

    final Path dataDir;
    final int mqttPort = FreePort.pick();
    final int plainMqttPort = FreePort.pick();
    final int ciraPort = FreePort.pick();
    final int kafkaPort = FreePort.pick();
    final int databasePort = FreePort.pick();
    final int metricsPort = FreePort.pick();
    final int apiPort = FreePort.pick();
    private final Path javaHome;
    private final Path jar;
    private final Path log;
    private Process process;
    private final Map<String, String> extraEnv = new java.util.LinkedHashMap<>();

    NodeProcess(Path javaHome, Path jar, Path dataDir, Path log) {
        this.javaHome = javaHome;
        this.jar = jar;
        this.dataDir = dataDir;
        this.log = log;
    }

    /** One more setting for the node, as its environment variable (e.g. {@code AMTBUS_CIRA_TLSPROVIDER}). */
    NodeProcess env(String name, String value) {
        extraEnv.put(name, value);
        return this;
    }

    /** Starts the node with {@code jvmOptions} (e.g. {@code -Xmx512m}) and waits until it serves. */
    NodeProcess start(List<String> jvmOptions, Duration atMost) {
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin/java").toString());
        command.add("-XX:+UseG1GC");
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.addAll(jvmOptions);
        String jfr = System.getenv("AMTBUS_BENCH_NODE_JFR"); // a file: profile the node for the whole run
        if (jfr != null && !jfr.isBlank()) {
            command.add("-XX:StartFlightRecording=settings=profile,filename=" + jfr);
        }
        command.addAll(List.of("-jar", jar.toString(), "run", "--data-dir", dataDir.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        settings(builder.environment());
        try {
            Files.createDirectories(dataDir);
            process = builder.start();
            ChildProcesses.stopOnExit(process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the node: " + e.getMessage(), e);
        }
        LOG.info("node starting [pid: {}, dataDir: {}, log: {}]", process.pid(), dataDir, log);
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the node exited with " + process.exitValue() + " while starting; see " + log);
            }
            if (logText().contains(READY)) {
                LOG.info("node ready [pid: {}, mqtts: {}, cira: {}]", process.pid(), mqttPort, ciraPort);
                return this;
            }
            sleep(200);
        }
        close();
        throw new IllegalStateException("the node did not start within " + atMost + "; see " + log);
    }

    /**
     * Runs an operator command ({@code amtbus user ...}, {@code amtbus acl ...}) against this node with
     * {@code stdin} as its standard input (passwords travel only there); returns its exit code.
     */
    int operator(List<String> args, byte[] stdin) {
        List<String> command = new ArrayList<>(List.of(javaHome.resolve("bin/java").toString(), "-jar", jar.toString()));
        command.addAll(args);
        command.addAll(List.of("--data-dir", dataDir.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        settings(builder.environment());
        try {
            Process p = builder.start();
            try (var in = p.getOutputStream()) {
                in.write(stdin);
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("amtbus " + args.get(0) + " did not finish in 120 s");
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** What an operator command printed, its exit code and its wall time. */
    record OperatorRun(int exitCode, String output, double seconds) {
    }

    /** Runs an operator command (e.g. {@code audit verify}) against this node and returns what it printed. */
    OperatorRun operatorOutput(List<String> args, Duration atMost) {
        List<String> command = new ArrayList<>(List.of(javaHome.resolve("bin/java").toString(), "-jar", jar.toString()));
        command.addAll(args);
        command.addAll(List.of("--data-dir", dataDir.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        settings(builder.environment());
        long t0 = System.nanoTime();
        try {
            Process p = builder.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(atMost.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("amtbus " + String.join(" ", args) + " did not finish in " + atMost);
            }
            return new OperatorRun(p.exitValue(), new String(out, StandardCharsets.UTF_8), (System.nanoTime() - t0) / 1e9);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void settings(Map<String, String> env) {
        env.put("AMTBUS_BROKER_MQTT_HOST", "127.0.0.1");
        env.put("AMTBUS_BROKER_MQTT_PORT", Integer.toString(mqttPort));
        env.put("AMTBUS_BROKER_PLAIN_ENABLED", "true");
        env.put("AMTBUS_BROKER_PLAIN_PORT", Integer.toString(plainMqttPort));
        env.put("AMTBUS_CIRA_HOST", "127.0.0.1");
        env.put("AMTBUS_CIRA_PORT", Integer.toString(ciraPort));
        env.put("AMTBUS_CIRA_MAXCONNECTIONSPERADDRESS", "1000000"); // every simulated machine dials from 127.0.0.1
        env.put("AMTBUS_KAFKA_PORT", Integer.toString(kafkaPort));
        env.put("AMTBUS_DATABASE_PORT", Integer.toString(databasePort));
        env.put("AMTBUS_METRICS_PORT", Integer.toString(metricsPort));
        env.put("AMTBUS_API_HOST", "127.0.0.1");
        env.put("AMTBUS_API_PORT", Integer.toString(apiPort));
        env.putAll(extraEnv);
    }

    long pid() {
        return process.pid();
    }

    /** The embedded PostgreSQL's postmaster (first line of its {@code postmaster.pid}), -1 when not running. */
    long postgresPid() {
        try {
            return Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/data/postmaster.pid")).get(0).strip());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    Path caFile() {
        return dataDir.resolve("tls/ca.crt");
    }

    /** The superuser's password, read from its 0600 file; never printed. */
    char[] adminPassword() {
        try {
            return Files.readString(dataDir.resolve("admin-password"), StandardCharsets.UTF_8).strip().toCharArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the admin password file (a reused data dir whose file was deleted?)", e);
        }
    }

    String metricsUrl() {
        return "http://127.0.0.1:" + metricsPort + "/metrics";
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        if (process == null || !process.isAlive()) {
            return;
        }
        long pid = process.pid();
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                LOG.warn("node did not stop within 60 s, killing it [pid: {}]", pid);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        LOG.info("node stopped [pid: {}]", pid);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
