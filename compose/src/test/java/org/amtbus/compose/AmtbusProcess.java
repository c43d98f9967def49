package org.amtbus.compose;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code amtbus run --roles ...} process of the topology: the real jar in its own JVM, its output kept
 * for the endpoints it prints and for failure reports. {@link #kill()} is {@code kill -9}.
 */
final class AmtbusProcess implements AutoCloseable {

    static final Path JAR = Path.of("..", "app", "target", "amtbus.jar");

    final String name;
    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();

    private AmtbusProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread.ofVirtual().name("out-" + name).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
    }

    /** Starts {@code amtbus run --roles roles} with {@code env} and waits until it is serving. */
    static AmtbusProcess start(String name, Path dataDir, String roles, Map<String, String> env, String heap) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+UseSerialGC", "-jar", JAR.toString(), "run", "--data-dir", dataDir.toString(),
                "--roles", roles));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("AMTBUS_APP_NODEID", name);
        pb.environment().put("AMTBUS_METRICS_PORT", "0");
        pb.environment().putAll(env);
        try {
            AmtbusProcess p = new AmtbusProcess(name, pb.start());
            await("process " + name + " serving").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!p.process.isAlive()) {
                            throw new IllegalStateException(name + " exited with " + p.process.exitValue() + ":\n" + p.log());
                        }
                        return p.output.stream().anyMatch(l -> l.contains("Press Ctrl-C to stop."));
                    });
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first group of the first output line matching {@code regex}. */
    String printed(String regex) {
        Pattern pattern = Pattern.compile(regex);
        for (String line : output) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new IllegalStateException(name + " printed nothing matching " + regex + ":\n" + log());
    }

    /** {@code GET /health} on the process's metrics port: the status code and the body naming what is down. */
    java.net.http.HttpResponse<String> health() {
        String metrics = printed("^  Metrics\\s+(\\S+)");
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(metrics.replace("/metrics", "/health")))
                    .timeout(Duration.ofSeconds(15)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Keeps the output so far in {@code target/process-logs/} (collected by CI for a failed run). */
    private void keepLog() {
        try {
            Path dir = Path.of("target", "process-logs");
            Files.createDirectories(dir);
            Files.write(dir.resolve(name + "-" + process.pid() + ".log"), output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("could not keep the output of " + name + ": " + e);
        }
    }

    String log() {
        return String.join("\n", output);
    }

    boolean alive() {
        return process.isAlive();
    }

    /** {@code kill -9}: no shutdown hook, no goodbye. */
    void kill() {
        keepLog();
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        keepLog();
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
