package org.amtbus.compose;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The compose topology as separate JVM processes on loopback, sharing one data directory (the CA, the sealed
 * secret store) and one embedded Kafka and PostgreSQL: {@code core} (Kafka, PostgreSQL, router, audit sink,
 * ACL API), two brokers and two gateways, each the real {@code amtbus.jar} with {@code --roles}.
 */
final class ProcessTopology implements AutoCloseable {

    final Path dataDir;
    final AmtbusProcess core;
    final List<AmtbusProcess> brokers = new ArrayList<>();
    final List<AmtbusProcess> gateways = new ArrayList<>();
    final String kafkaBootstrap;
    final int postgresPort;

    private ProcessTopology(Path dataDir, AmtbusProcess core) {
        this.dataDir = dataDir;
        this.core = core;
        this.kafkaBootstrap = core.printed("^  Kafka\\s+(\\S+)");
        this.postgresPort = Integer.parseInt(core.printed("^  PostgreSQL\\s+jdbc:postgresql://[^:]+:(\\d+)/"));
    }

    static ProcessTopology start(int brokerCount, int gatewayCount) {
        Path dir;
        try {
            dir = Files.createTempDirectory("amtbus-topology-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AmtbusProcess core = AmtbusProcess.start("core", dir, "router,audit-sink,api", Map.of(
                "AMTBUS_KAFKA_PORT", "0", "AMTBUS_DATABASE_PORT", "0", "AMTBUS_API_HOST", "127.0.0.1", "AMTBUS_API_PORT", "0",
                "AMTBUS_ROUTER_RESULTDEADLINE", "20s"), "640m");
        ProcessTopology t = new ProcessTopology(dir, core);
        try {
            List<CompletableFuture<AmtbusProcess>> starting = new ArrayList<>();
            for (int i = 1; i <= brokerCount; i++) {
                Map<String, String> env = t.shared();
                env.put("AMTBUS_BROKER_MQTT_HOST", "127.0.0.1");
                env.put("AMTBUS_BROKER_MQTT_PORT", "0");
                String name = "broker-" + i;
                starting.add(CompletableFuture.supplyAsync(() -> AmtbusProcess.start(name, dir, "broker", env, "256m")));
            }
            for (int i = 1; i <= gatewayCount; i++) {
                Map<String, String> env = t.shared();
                env.put("AMTBUS_CIRA_HOST", "127.0.0.1");
                env.put("AMTBUS_CIRA_PORT", "0");
                env.put("AMTBUS_CIRA_LEASETIME", "3s");
                String name = "gateway-" + i;
                starting.add(CompletableFuture.supplyAsync(() -> AmtbusProcess.start(name, dir, "gateway", env, "256m")));
            }
            for (CompletableFuture<AmtbusProcess> f : starting) {
                AmtbusProcess p = f.join();
                (p.name.startsWith("broker") ? t.brokers : t.gateways).add(p);
            }
            t.brokers.sort(java.util.Comparator.comparing(p -> p.name));
            t.gateways.sort(java.util.Comparator.comparing(p -> p.name));
            return t;
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /** Settings every process but core needs to share core's Kafka and PostgreSQL. */
    private Map<String, String> shared() {
        Map<String, String> env = new HashMap<>();
        env.put("AMTBUS_KAFKA_BOOTSTRAPSERVERS", kafkaBootstrap);
        env.put("AMTBUS_KAFKA_REPLICATIONFACTOR", "1");
        env.put("AMTBUS_DATABASE_EMBEDDEDSHARED", "true");
        env.put("AMTBUS_DATABASE_PORT", Integer.toString(postgresPort));
        return env;
    }

    int mqttPort(AmtbusProcess broker) {
        return Integer.parseInt(broker.printed("mqtts://127\\.0\\.0\\.1:(\\d+)"));
    }

    InetSocketAddress ciraAddress(AmtbusProcess gateway) {
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(gateway.printed("CIRA \\(AMT devices\\)\\s+127\\.0\\.0\\.1:(\\d+)")));
    }

    String adminPassword() {
        try {
            return Files.readString(dataDir.resolve("admin-password"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        gateways.forEach(AmtbusProcess::close);
        brokers.forEach(AmtbusProcess::close);
        core.close();
    }
}
