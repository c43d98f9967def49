package org.amtbus.app;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code amtbus run}: starts the roles in this process and serves until Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Start amtbus: every role in one process on embedded defaults (Moquette, in-process Kafka, "
                + "embedded PostgreSQL, sealed secret store, a generated dev CA).")
final class RunCommand extends NodeCommand implements Callable<Integer> {

    @Option(names = "--roles", split = ",", paramLabel = "ROLE",
            description = "Roles to run: all (default, or app.roles), or any of broker, api, gateway, router, audit-sink.")
    List<String> roles;

    @Override
    public Integer call() {
        Path dir = DataDirectory.resolve(dataDir);
        NodeSettings settings = NodeSettings.load(dir, config);
        if (roles != null) {
            try {
                settings = settings.withRoles(Role.parse(roles));
            } catch (IllegalArgumentException e) {
                throw new StartupException(StartupException.CONFIGURATION, "--roles: " + e.getMessage());
            }
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Node node = Node.start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "amtbus-shutdown"));
        printEndpoints(node, System.out);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void printEndpoints(Node node, PrintStream out) {
        Node.Endpoints e = node.endpoints();
        out.println("amtbus is running (roles: " + String.join(", ", e.roles().stream().map(r -> r.wireName).sorted().toList())
                + "). Data directory: " + e.dataDir());
        if (e.mqttPort() > 0) {
            out.println("  MQTT over TLS       mqtts://" + e.mqttHost() + ":" + e.mqttPort()
                    + "   (TLS 1.3; CA certificate: " + e.caFile() + ")");
        }
        if (e.ciraPort() > 0) {
            out.println("  CIRA (AMT devices)  " + e.ciraHost() + ":" + e.ciraPort()
                    + "   (TLS 1.3, and TLS 1.2 with ECDHE+AEAD for older firmware)");
        }
        if (e.apiUrl() != null) {
            out.println("  ACL API (go-auth)   " + e.apiUrl() + "{auth,superuser,aclcheck}   (TLS 1.3)");
        }
        out.println("  Kafka               " + e.kafkaBootstrap() + (e.embeddedKafka() ? "   (embedded, loopback only)" : "   (external)"));
        out.println("  PostgreSQL          " + e.jdbcUrl() + (e.embeddedDatabase() ? "   (embedded, loopback only)" : "   (external)"));
        out.println("  Metrics             " + e.metricsUrl() + "   (Prometheus text format)");
        if (e.superuserCreated()) {
            out.println("  Superuser           'admin'; its one-time password is in " + e.passwordFile()
                    + " (mode 0600). Keep it safe, then delete the file.");
        } else {
            out.println("  Superuser           'admin' (created on the first start; password file: " + e.passwordFile() + ")");
        }
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }
}
