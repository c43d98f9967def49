package org.amtbus.platform.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Properties;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process, single-node Kafka (KRaft: broker and controller in one {@link KafkaRaftServer})
 * for the embedded deployment and for tests.
 *
 * <p>Invariants: both listeners bind to 127.0.0.1 only; the log directory is formatted once, on
 * the first start, and a later start on the same directory reuses it with the same cluster id and
 * data; every replication factor is 1 (internal topics too); topics are never auto-created.
 *
 * <p>{@link #start} and {@link #close} block (seconds) and run on the caller's thread: call them
 * from start-up/shutdown code. Kafka's own threads do the work in between. Its logs are meant to
 * stay at WARN: include {@code amtbus-quiet-embedded.xml} in the logback configuration.
 */
public final class EmbeddedKafka implements AutoCloseable {

    public static final int RANDOM_PORT = 0;
    /** Default client port of the embedded node when a fixed one is wanted. */
    public static final int DEFAULT_PORT = 9092;

    static final int NODE_ID = 1;
    static final String BROKER_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    /**
     * Partitions of {@code __consumer_offsets} (Kafka's default is 50). One node serves a handful of
     * groups; 50 partitions only make the first group join slower (each one is a log to create).
     */
    static final int OFFSETS_TOPIC_PARTITIONS = 5;
    /** Same reasoning for the transaction state topic, created on the first transactional producer. */
    static final int TRANSACTION_TOPIC_PARTITIONS = 5;
    /**
     * Kafka waits 3 s by default for more members before the first rebalance of a new group. In one
     * process the members start together anyway, and the wait would delay every service's start.
     */
    static final int GROUP_INITIAL_REBALANCE_DELAY_MS = 0;
    /** A start on a random port that loses a port race is retried this often. */
    private static final int START_ATTEMPTS = 3;
    private static final String META_PROPERTIES = "meta.properties";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final KafkaRaftServer server;
    private final Path logDir;
    private final int port;
    private final String clusterId;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafka(KafkaRaftServer server, Path logDir, int port, String clusterId) {
        this.server = server;
        this.logDir = logDir;
        this.port = port;
        this.clusterId = clusterId;
    }

    /**
     * Starts the node on {@code logDir} (normally {@code <dataDir>/kafka}), formatting it first if it
     * has never been used. Returns once the broker is registered and unfenced, ready for clients.
     *
     * @param port {@link #RANDOM_PORT} or a fixed loopback port for clients
     */
    public static EmbeddedKafka start(Path logDir, int port) {
        Objects.requireNonNull(logDir, "logDir");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 (random) or 1-65535, was " + port);
        }
        long started = System.nanoTime();
        String clusterId;
        boolean cold;
        try {
            Files.createDirectories(logDir);
            cold = !Files.exists(logDir.resolve(META_PROPERTIES));
            clusterId = cold ? format(logDir) : readClusterId(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Kafka log directory " + logDir, e);
        }
        RuntimeException lastFailure = null;
        int attempts = port == RANDOM_PORT ? START_ATTEMPTS : 1;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            int brokerPort = port == RANDOM_PORT ? LoopbackPorts.free() : port;
            int controllerPort = LoopbackPorts.free();
            KafkaRaftServer server = new KafkaRaftServer(
                    kafka.server.KafkaConfig.fromProps(serverProperties(logDir, brokerPort, controllerPort), false),
                    Time.SYSTEM);
            try {
                server.startup();
                LOG.info("embedded Kafka started [dir: {}, port: {}, clusterId: {}, cold: {}] in {} ms",
                        logDir, brokerPort, clusterId, cold, (System.nanoTime() - started) / 1_000_000);
                return new EmbeddedKafka(server, logDir, brokerPort, clusterId);
            } catch (RuntimeException e) {
                lastFailure = e;
                LOG.warn("embedded Kafka failed to start [dir: {}, port: {}, attempt: {}/{}]: {}",
                        logDir, brokerPort, attempt, attempts, e.toString());
                shutdownQuietly(server);
            }
        }
        throw new IllegalStateException("embedded Kafka failed to start [dir: " + logDir + "]", lastFailure);
    }

    static Properties serverProperties(Path logDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        // static quorum: nothing about the controller's address is stored, so a restart may use another port
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("listeners", BROKER_LISTENER + "://127.0.0.1:" + brokerPort + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://127.0.0.1:" + brokerPort);
        // TLS/SASL for a shared cluster come with the tls package; the embedded node is loopback-only
        p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("auto.create.topics.enable", "false");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", String.valueOf(OFFSETS_TOPIC_PARTITIONS));
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", String.valueOf(TRANSACTION_TOPIC_PARTITIONS));
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", String.valueOf(GROUP_INITIAL_REBALANCE_DELAY_MS));
        return p;
    }

    private static String format(Path logDir) throws IOException {
        String clusterId = Uuid.randomUuid().toString();
        Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(NODE_ID)
                .setClusterId(clusterId)
                .setDirectories(List.of(logDir.toString()))
                .setMetadataLogDirectory(logDir.toString())
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION);
        try {
            formatter.run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format the Kafka log directory " + logDir + ": " + e.getMessage(), e);
        }
        LOG.info("formatted Kafka log directory [dir: {}, clusterId: {}]", logDir, clusterId);
        return clusterId;
    }

    private static String readClusterId(Path logDir) throws IOException {
        Properties meta = new Properties();
        try (InputStream in = Files.newInputStream(logDir.resolve(META_PROPERTIES))) {
            meta.load(in);
        }
        String clusterId = meta.getProperty("cluster.id");
        if (clusterId == null) {
            throw new IllegalStateException(logDir.resolve(META_PROPERTIES) + " has no cluster.id: not a Kafka log directory");
        }
        return clusterId;
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public String clusterId() {
        return clusterId;
    }

    public Path logDir() {
        return logDir;
    }

    /**
     * Controlled shutdown: the broker hands its partitions back to the controller, flushes and
     * closes its logs (so the next start needs no log recovery), then the controller stops.
     * Blocks until done. A second call does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long started = System.nanoTime();
        server.shutdown();
        server.awaitShutdown();
        LOG.info("embedded Kafka stopped [dir: {}] in {} ms", logDir, (System.nanoTime() - started) / 1_000_000);
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.debug("shutdown after a failed start also failed", e);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers() + ", dir=" + logDir + ", clusterId=" + clusterId + "]";
    }
}
