package org.amtbus.bench.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command line of the load driver: {@code SCENARIO [--data-dir DIR] [--out DIR] [--jar FILE] [--seconds N]
 * [--repeats N] [--devices N,N] [--rates N,N] [--events N] [--tls-providers auto|jdk|openssl,...]}.
 */
record BenchSettings(String scenario, Path dataDir, Path out, Path jar, Path javaHome, Duration runTime, int repeats,
                     List<Integer> devices, List<Integer> rates, int events, List<String> tlsProviders) {

    static final List<String> SCENARIOS = List.of("mqtt", "cira", "commands", "audit", "logins", "all");

    static BenchSettings parse(String[] args, Path home, Path javaHome) {
        if (args.length == 0 || !SCENARIOS.contains(args[0])) {
            throw new IllegalArgumentException("usage: bench " + String.join("|", SCENARIOS)
                    + " [--data-dir DIR] [--out DIR] [--jar FILE] [--seconds N] [--repeats N] [--devices N,N] [--rates N,N] [--events N] [--tls-providers jdk,openssl]");
        }
        Path dataDir = home.resolve("amtbus-bench");
        Path out = Path.of("bench-results");
        Path jar = Path.of("app/target/amtbus.jar");
        int seconds = 3;
        int repeats = 2;
        List<Integer> devices = List.of(1_000, 5_000);
        List<Integer> rates = List.of(100, 500);
        int events = 200_000;
        List<String> tlsProviders = List.of("auto");
        for (int i = 1; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(value);
                case "--out" -> out = Path.of(value);
                case "--jar" -> jar = Path.of(value);
                case "--seconds" -> seconds = positive(args[i], value, 600);
                case "--repeats" -> repeats = positive(args[i], value, 10);
                case "--devices" -> devices = list(args[i], value, 50_000);
                case "--rates" -> rates = list(args[i], value, 5_000);
                case "--events" -> events = positive(args[i], value, 5_000_000);
                case "--tls-providers" -> tlsProviders = providers(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i++;
        }
        return new BenchSettings(args[0], dataDir.toAbsolutePath(), out.toAbsolutePath(), jar.toAbsolutePath(), javaHome,
                Duration.ofSeconds(seconds), repeats, devices, rates, events, tlsProviders);
    }

    /** The CIRA listener's TLS providers to measure one after the other (cira.tlsProvider of the node). */
    private static List<String> providers(String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            out.add(org.amtbus.platform.tls.TlsProviderChoice.parse(part).name().toLowerCase(java.util.Locale.ROOT));
        }
        return List.copyOf(out);
    }

    private static int positive(String option, String value, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n < 1 || n > max) {
                throw new IllegalArgumentException(option + " must be 1-" + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number");
        }
    }

    private static List<Integer> list(String option, String value, int max) {
        List<Integer> out = new ArrayList<>();
        for (String part : Arrays.asList(value.split(","))) {
            out.add(positive(option, part.strip(), max));
        }
        return List.copyOf(out);
    }
}
