package org.amtbus.bench.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@link BareTlsServer} in a JVM of its own, with the node's heap settings; stopped by its PID. */
final class BareTlsProcess implements AutoCloseable {

    final int port = FreePort.pick();
    private final Process process;

    BareTlsProcess(Path javaHome, Path tlsDir, List<String> jvmOptions, String tlsProvider) {
        List<String> command = new java.util.ArrayList<>(List.of(javaHome.resolve("bin/java").toString(), "-XX:+UseG1GC"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BareTlsServer.class.getName(),
                tlsDir.toString(), Integer.toString(port), tlsProvider));
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            ChildProcesses.stopOnExit(process);
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.equals("ready")) {
                // start-up noise (JVM warnings)
            }
            if (line == null) {
                throw new IllegalStateException("the bare TLS server exited while starting");
            }
            Thread.ofVirtual().start(() -> {
                try {
                    out.transferTo(java.io.Writer.nullWriter());
                } catch (IOException e) {
                    // the process ended
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
