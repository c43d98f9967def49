package org.amtbus.bench.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end-to-end load driver: {@code java -cp bench/target/benchmarks.jar org.amtbus.bench.e2e.Main
 * mqtt|cira|commands|audit|logins|all [options]} (or {@code bench/run}). Each scenario starts an {@code amtbus run} node (and for
 * MQTT a Mosquitto) as child processes on loopback, drives bounded load from this process, prints each figure beside
 * its baseline measured in the same run, and writes a Markdown table and SVG charts to {@code --out}.
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the scenario(s); returns the process exit code (0 ok, 2 usage, 1 failure). */
    public static int run(String[] args) {
        BenchSettings settings;
        try {
            settings = BenchSettings.parse(args, Path.of(System.getProperty("user.home")), Path.of(System.getProperty("java.home")));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        if ("root".equals(System.getProperty("user.name"))) {
            System.err.println("bench: the node's PostgreSQL refuses root; run bench/run, which runs this as the amtbus user");
            return 2;
        }
        if (!Files.isRegularFile(settings.jar())) {
            System.err.println("bench: no application jar at " + settings.jar() + " (./mvnw -B -q package -DskipTests -pl app -am)");
            return 2;
        }
        MachineInfo machine = MachineInfo.current();
        System.out.println("amtbus bench " + settings.scenario() + " on " + machine.describe());
        try {
            switch (settings.scenario()) {
                case "mqtt" -> new MqttScenario(settings).run();
                case "cira" -> new CiraScenario(settings).run();
                case "commands" -> new CommandsScenario(settings).run();
                case "audit" -> new AuditScenario(settings).run();
                case "logins" -> new LoginBurstScenario(settings).run();
                default -> {
                    new MqttScenario(settings).run();
                    new CiraScenario(settings).run();
                    new CommandsScenario(settings).run();
                    new AuditScenario(settings).run();
                    new LoginBurstScenario(settings).run();
                }
            }
            return 0;
        } catch (Exception e) {
            LOG.error("bench failed [scenario: {}]", settings.scenario(), e);
            return 1;
        }
    }
}
