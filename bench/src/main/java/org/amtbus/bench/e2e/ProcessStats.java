package org.amtbus.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the kernel and the JVM say about a child process: CPU time, resident memory, heap after a full GC. */
final class ProcessStats {

    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux
    private static final Pattern HEAP_USED = Pattern.compile("(?m)^\\s*garbage-first heap\\s+total[^,]*, committed (\\d+)K, used (\\d+)K");
    private static final Pattern ANY_HEAP_USED = Pattern.compile("used (\\d+)K");

    private ProcessStats() {
    }

    /** User plus system CPU seconds the process has used, from {@code /proc/PID/stat}. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return cpuSecondsOf(stat);
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    /** CPU seconds of a process and its live descendants (e.g. PostgreSQL's postmaster and its backends). */
    static double treeCpuSeconds(long pid) {
        double sum = cpuSeconds(pid);
        if (Double.isNaN(sum)) {
            return Double.NaN;
        }
        for (ProcessHandle child : ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of())) {
            double c = cpuSeconds(child.pid());
            sum += Double.isNaN(c) ? 0 : c;
        }
        return sum;
    }

    /** utime + stime (fields 14 and 15) of a {@code /proc/PID/stat} line; the command name may hold spaces. */
    static double cpuSecondsOf(String stat) {
        String afterName = stat.substring(stat.lastIndexOf(')') + 2);
        String[] fields = afterName.trim().split("\\s+");
        // afterName starts at field 3 (state); utime is field 14, stime field 15
        long utime = Long.parseLong(fields[11]);
        long stime = Long.parseLong(fields[12]);
        return (utime + stime) / (double) TICKS_PER_SECOND;
    }

    /** Resident set size in KiB, from {@code /proc/PID/status}. */
    static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Heap in use right after a full GC, in KiB, via {@code jcmd} (it must run as the JVM's own user: the bench runs
     * as the node's user).
     */
    static long heapUsedAfterGcKib(Path javaHome, long pid) {
        String jcmd = javaHome.resolve("bin/jcmd").toString();
        run(List.of(jcmd, Long.toString(pid), "GC.run"));
        return heapUsedKib(run(List.of(jcmd, Long.toString(pid), "GC.heap_info")));
    }

    /** Writes the node's live-object histogram (jcmd GC.class_histogram, which runs a full GC first) to {@code file}. */
    static void classHistogram(Path javaHome, long pid, Path file) {
        String out = run(List.of(javaHome.resolve("bin/jcmd").toString(), Long.toString(pid), "GC.class_histogram"));
        try {
            java.nio.file.Files.writeString(file, out);
        } catch (IOException e) {
            // a missing histogram only loses a diagnostic
        }
    }

    static long heapUsedKib(String heapInfo) {
        Matcher g1 = HEAP_USED.matcher(heapInfo);
        if (g1.find()) {
            return Long.parseLong(g1.group(2));
        }
        Matcher any = ANY_HEAP_USED.matcher(heapInfo);
        return any.find() ? Long.parseLong(any.group(1)) : -1;
    }

    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return new String(out);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
