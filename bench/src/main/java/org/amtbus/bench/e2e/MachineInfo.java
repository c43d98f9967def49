package org.amtbus.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine a run measured: CPU model, cores, memory, JDK. */
record MachineInfo(String cpuModel, int cpus, long memoryMib, String jdk) {

    static MachineInfo current() {
        String model = "unknown CPU";
        long memKib = -1;
        try {
            model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse(model);
            memKib = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(-1L);
        } catch (IOException e) {
            // not Linux: leave unknown
        }
        return new MachineInfo(model, Runtime.getRuntime().availableProcessors(), memKib / 1024,
                System.getProperty("java.vm.name") + " " + Runtime.version());
    }

    String describe() {
        return cpus + " vCPU " + cpuModel + ", " + memoryMib + " MiB RAM, " + jdk;
    }
}
