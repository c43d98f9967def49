package org.amtbus.bench.e2e;

import java.util.concurrent.TimeUnit;

/** Child processes are stopped by their PID when the driver itself is stopped (Ctrl-C, SIGTERM), never left behind. */
final class ChildProcesses {

    private ChildProcesses() {
    }

    static void stopOnExit(Process process) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (process.isAlive()) {
                process.destroy();
                try {
                    if (!process.waitFor(30, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                }
            }
        }, "bench-stop-child-" + process.pid()));
    }
}
