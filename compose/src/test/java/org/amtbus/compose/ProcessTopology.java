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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The compose topology as separate JVM processes on loopback, sharing one data directory (the CA, the sealed
 * secret store) and one Kafka and PostgreSQL: {@code core} (the HTTPS API, and by default the embedded Kafka and
 * PostgreSQL), the audit sink, routers, brokers and gateways, each the real {@code amtbus.jar} with
 * {@code --roles}. With {@link External} Kafka and PostgreSQL are servers the test holds (as compose runs them
 * in containers of their own), so the test can take them away and bring them back.
 */
final class ProcessTopology implements AutoCloseable {

    final Path dataDir;
    final AmtbusProcess core;
    final List<AmtbusProcess> brokers = new ArrayList<>();
    final List<AmtbusProcess> gateways = new ArrayList<>();
    final List<AmtbusProcess> routers = new ArrayList<>();
    AmtbusProcess auditSink;
    private final Map<String, Map<String, String>> envs = new java.util.concurrent.ConcurrentHashMap<>();
    final String kafkaBootstrap;
    final int postgresPort;
    private final Optional<External> external;

    /**
     * Kafka and PostgreSQL run outside the topology; the database password is already in the data directory's
     * secret store (as {@code NodeSettings.DATABASE_PASSWORD}).
     */
    record External(String kafkaBootstrap, String jdbcUrl, String databaseUser) {
    }

    private ProcessTopology(Path dataDir, AmtbusProcess core, Optional<External> external) {
        this.dataDir = dataDir;
        this.core = core;
        this.external = external;
        this.kafkaBootstrap = core.printed("^  Kafka\\s+(\\S+)");
        this.postgresPort = Integer.parseInt(core.printed("^  PostgreSQL\\s+jdbc:postgresql://[^:]+:(\\d+)/"));
    }

    static Path newDataDirectory() {
        try {
            return Files.createTempDirectory("amtbus-topology-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Core runs the embedded Kafka and PostgreSQL the other processes share. */
    static ProcessTopology start(int brokerCount, int gatewayCount, int routerCount) {
        return start(newDataDirectory(), Optional.empty(), brokerCount, gatewayCount, routerCount);
    }

    /** Every process, core included, uses the external Kafka and PostgreSQL. */
    static ProcessTopology start(Path dir, External external, int brokerCount, int gatewayCount, int routerCount) {
        return start(dir, Optional.of(external), brokerCount, gatewayCount, routerCount);
    }

    private static ProcessTopology start(Path dir, Optional<External> external, int brokerCount, int gatewayCount,
            int routerCount) {
        Map<String, String> coreEnv = new HashMap<>(Map.of("AMTBUS_API_HOST", "127.0.0.1", "AMTBUS_API_PORT", "0"));
        external.ifPresentOrElse(e -> coreEnv.putAll(externalSettings(e)), () -> {
            coreEnv.put("AMTBUS_KAFKA_PORT", "0");
            coreEnv.put("AMTBUS_DATABASE_PORT", "0");
        });
        AmtbusProcess core = AmtbusProcess.start("core", dir, "api", coreEnv, "512m");
        ProcessTopology t = new ProcessTopology(dir, core, external);
        try {
            List<CompletableFuture<AmtbusProcess>> starting = new ArrayList<>();
            starting.add(CompletableFuture.supplyAsync(() -> t.launch("audit-sink", "audit-sink", t.shared())));
            for (int i = 1; i <= routerCount; i++) {
                Map<String, String> env = t.shared();
                env.put("AMTBUS_ROUTER_RESULTDEADLINE", "20s");
                String name = "router-" + i;
                starting.add(CompletableFuture.supplyAsync(() -> t.launch(name, "router", env)));
            }
            for (int i = 1; i <= brokerCount; i++) {
                Map<String, String> env = t.shared();
                env.put("AMTBUS_BROKER_MQTT_HOST", "127.0.0.1");
                env.put("AMTBUS_BROKER_MQTT_PORT", "0");
                String name = "broker-" + i;
                starting.add(CompletableFuture.supplyAsync(() -> t.launch(name, "broker", env)));
            }
            for (int i = 1; i <= gatewayCount; i++) {
                Map<String, String> env = t.shared();
                env.put("AMTBUS_CIRA_HOST", "127.0.0.1");
                env.put("AMTBUS_CIRA_PORT", "0");
                env.put("AMTBUS_CIRA_LEASETIME", "3s");
                String name = "gateway-" + i;
                starting.add(CompletableFuture.supplyAsync(() -> t.launch(name, "gateway", env)));
            }
            for (CompletableFuture<AmtbusProcess> f : starting) {
                t.place(f.join());
            }
            return t;
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    private AmtbusProcess launch(String name, String roles, Map<String, String> env) {
        envs.put(name, Map.copyOf(env));
        return AmtbusProcess.start(name, dataDir, roles, env, "256m");
    }

    private synchronized void place(AmtbusProcess p) {
        List<AmtbusProcess> list = p.name.startsWith("broker") ? brokers : p.name.startsWith("gateway") ? gateways
                : p.name.startsWith("router") ? routers : null;
        if (list == null) {
            auditSink = p;
            return;
        }
        list.removeIf(old -> old.name.equals(p.name));
        list.add(p);
        list.sort(java.util.Comparator.comparing(x -> x.name));
    }

    /** Starts a process again (after {@link AmtbusProcess#kill()}) with the settings it had. */
    AmtbusProcess restart(AmtbusProcess old) {
        String roles = old.name.startsWith("broker") ? "broker" : old.name.startsWith("gateway") ? "gateway"
                : old.name.startsWith("router") ? "router" : "audit-sink";
        AmtbusProcess again = launch(old.name, roles, new HashMap<>(envs.get(old.name)));
        place(again);
        return again;
    }

    private static Map<String, String> externalSettings(External e) {
        return Map.of("AMTBUS_KAFKA_BOOTSTRAPSERVERS", e.kafkaBootstrap(), "AMTBUS_KAFKA_REPLICATIONFACTOR", "1",
                "AMTBUS_DATABASE_URL", e.jdbcUrl(), "AMTBUS_DATABASE_USER", e.databaseUser());
    }

    /** Settings every process but core needs to share core's (or the external) Kafka and PostgreSQL. */
    private Map<String, String> shared() {
        Map<String, String> env = new HashMap<>();
        if (external.isPresent()) {
            env.putAll(externalSettings(external.get()));
            return env;
        }
        env.put("AMTBUS_KAFKA_BOOTSTRAPSERVERS", kafkaBootstrap);
        env.put("AMTBUS_KAFKA_REPLICATIONFACTOR", "1");
        env.put("AMTBUS_DATABASE_EMBEDDEDSHARED", "true");
        env.put("AMTBUS_DATABASE_PORT", Integer.toString(postgresPort));
        return env;
    }

    /** Every process of the topology, core first. */
    List<AmtbusProcess> all() {
        List<AmtbusProcess> all = new ArrayList<>(List.of(core));
        if (auditSink != null) {
            all.add(auditSink);
        }
        all.addAll(routers);
        all.addAll(brokers);
        all.addAll(gateways);
        return all;
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
        routers.forEach(AmtbusProcess::close);
        if (auditSink != null) {
            auditSink.close();
        }
        core.close();
    }
}
