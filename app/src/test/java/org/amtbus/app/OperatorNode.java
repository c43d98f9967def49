package org.amtbus.app;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Test support: a running node whose configuration file names its PostgreSQL and Kafka ports, so the
 * operator commands ({@code amtbus user|acl ...}) find it as they would on a real machine.
 */
final class OperatorNode implements BeforeAllCallback, AfterAllCallback {

    record Run(int code, String out, String err) { }

    Path dataDir;
    RunningNode node;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dataDir = Files.createTempDirectory("amtbus-ops-");
        Map<String, String> ports = Map.of("database.port", String.valueOf(freePort()), "kafka.port", String.valueOf(freePort()));
        Files.writeString(dataDir.resolve("amtbus.yaml"), "database:\n  port: " + ports.get("database.port")
                + "\nkafka:\n  port: " + ports.get("kafka.port") + "\n");
        node = RunningNode.start(dataDir, ports);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (node != null) {
            node.close();
        }
    }

    /** Runs {@code amtbus ARGS --data-dir DIR} in this JVM with {@code stdin} as standard input. */
    synchronized Run amtbus(String stdin, String... args) {
        InputStream in = System.in;
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            String[] full = new String[args.length + 2];
            System.arraycopy(args, 0, full, 0, args.length);
            full[args.length] = "--data-dir";
            full[args.length + 1] = dataDir.toString();
            int code = Amtbus.execute(new PrintWriter(System.out, true), new PrintWriter(err, true), full);
            return new Run(code, captured.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setIn(in);
            System.setOut(out);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
