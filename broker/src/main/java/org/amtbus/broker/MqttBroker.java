package org.amtbus.broker;

import io.moquette.broker.ISslContextCreator;
import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.interception.InterceptHandler;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import org.amtbus.broker.auth.ConnectVerdicts;
import org.amtbus.broker.auth.MqttLogin;
import org.amtbus.broker.auth.SessionAuthenticator;
import org.amtbus.broker.connect.ConnectGates;
import org.amtbus.broker.connect.GateInstaller;
import org.amtbus.broker.intake.IntakeCounters;
import org.amtbus.broker.intake.IntakeGates;
import org.amtbus.broker.intake.MoquetteQueueMetrics;
import org.amtbus.broker.intake.SessionQueueLoad;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Moquette broker: MQTT over TLS only, no anonymous access, our authenticator and
 * authorizer objects (never class names, so nothing can silently fall back to a permissive policy).
 *
 * <p>Invariants: the only plain-TCP listener that can exist is one explicitly enabled on a loopback
 * address ({@link BrokerConfig} refuses anything else); every connection's CONNECT is checked off the Netty
 * event loops by {@link MqttLogin} behind a {@link org.amtbus.broker.connect.ConnectGate}, and the broker
 * does not start when the gate cannot be installed; every connection's input waits in an
 * {@link org.amtbus.broker.intake.IntakeGates intake gate} while Moquette's session queues are full, so that
 * Moquette never has to drop a QoS 1 publish (it drops commands to a full queue).
 */
public final class MqttBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttBroker.class);

    /**
     * One interceptor thread keeps the bridge's view of publishes in arrival order, which is what
     * keeps one device's commands in order on their way to Kafka.
     */
    private static final int INTERCEPTOR_THREADS = 1;
    /** Binding on loopback takes milliseconds; five seconds means it failed. */
    private static final java.time.Duration BIND_WAIT = java.time.Duration.ofSeconds(5);
    private static final java.time.Duration BIND_POLL = java.time.Duration.ofMillis(10);

    /** How long an in-process publish waits for room in the session queues before trying anyway. */
    private static final java.time.Duration INTERNAL_PUBLISH_WAIT = java.time.Duration.ofSeconds(5);

    private final BrokerConfig config;
    private final Server server = new Server();
    private final SessionQueueLoad queueLoad = SessionQueueLoad.shared();
    private final IntakeCounters intakeCounters = new IntakeCounters();
    private volatile boolean started;
    private ConnectGates gates;

    public MqttBroker(BrokerConfig config) {
        this.config = Objects.requireNonNull(config);
    }

    /**
     * Binds the listeners and starts serving.
     *
     * @throws BrokerStartException with a one-line reason when a port is taken or the broker cannot start
     */
    public void start(SslContext tls, MqttLogin login, IAuthorizatorPolicy authorizer,
                      List<? extends InterceptHandler> interceptors) {
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new BrokerStartException("broker data directory " + config.dataDir() + " cannot be created: " + e.getMessage());
        }
        ISslContextCreator sslCreator = () -> tls;
        ConnectVerdicts verdicts = new ConnectVerdicts();
        gates = new ConnectGates(login, verdicts);
        try {
            server.startServer(moquetteConfig(), interceptors, sslCreator, new SessionAuthenticator(verdicts), authorizer);
        } catch (IOException | RuntimeException e) {
            gates.close();
            throw new BrokerStartException("MQTT broker failed to start: " + e.getMessage());
        }
        started = true;
        if (!(io.moquette.logging.MetricsManager.getMetricsProvider() instanceof MoquetteQueueMetrics)) {
            close();
            throw new BrokerStartException("MQTT broker cannot watch its session queues: Moquette did not load "
                    + MoquetteQueueMetrics.class.getName() + " (META-INF/services missing from the jar?)");
        }
        if (awaitBoundTlsPort() <= 0) {
            close();
            throw new BrokerStartException("MQTT broker did not bind its TLS listener on "
                    + config.host() + ":" + config.port());
        }
        try {
            new GateInstaller(gates, new IntakeGates(queueLoad, intakeCounters))
                    .install(server, config.plainPort().isPresent() ? 2 : 1);
        } catch (IllegalStateException e) {
            close();
            throw new BrokerStartException("MQTT broker cannot check logins off the I/O threads: " + e.getMessage());
        }
        LOG.info("event=broker.started tlsPort={} plainPort={} tls={}", server.getSslPort(),
                config.plainPort().map(p -> String.valueOf(server.getPort())).orElse("off"),
                org.amtbus.platform.tls.TlsProviderChoice.describe(org.amtbus.platform.tls.TlsProviderChoice.providerOf(tls)));
    }

    /**
     * Moquette records the bound port from a bind-completion listener, so right after
     * {@code startServer} returns it may not be there yet; wait a bounded time for it.
     */
    private int awaitBoundTlsPort() {
        long deadline = System.nanoTime() + BIND_WAIT.toNanos();
        int port;
        while ((port = readTlsPort()) <= 0 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(BIND_POLL.toNanos());
        }
        boundTlsPort = port;
        return port;
    }

    /**
     * Moquette keeps bound ports in a plain HashMap that its event loop writes while we read (computeIfAbsent):
     * a read that races the write throws ConcurrentModificationException, which only means "not yet".
     */
    private int readTlsPort() {
        try {
            return server.getSslPort();
        } catch (java.util.ConcurrentModificationException e) {
            return -1;
        }
    }

    /** The bound TLS port (useful when the configured port was 0). */
    public int tlsPort() {
        return boundTlsPort > 0 ? boundTlsPort : readTlsPort();
    }

    private volatile int boundTlsPort;

    /** The bound plain port on loopback, or -1 when plain MQTT is off. */
    public int plainPort() {
        return config.plainPort().isPresent() ? server.getPort() : -1;
    }

    /** The Moquette server, for the bridge's internal publishes and session control. */
    Server server() {
        return server;
    }

    /**
     * Publishes a message from inside the process (the event bridge) to this broker's subscribers.
     * The broker takes over the message's payload buffer.
     */
    public void publishInternal(io.netty.handler.codec.mqtt.MqttPublishMessage message, String publisherId) {
        // the bridges may block: wait for room rather than have Moquette drop the fan-out to a full queue
        queueLoad.awaitRoom(INTERNAL_PUBLISH_WAIT);
        int before = queueLoad.overrunsOnThisThread();
        server.internalPublish(message, publisherId);
        if (queueLoad.overrunsOnThisThread() != before) {
            intakeCounters.internalUnrouted();
        }
    }

    /** What the intake gates did (pauses, QoS 0 drops, connections closed), for metrics. */
    public IntakeCounters intakeCounters() {
        return intakeCounters;
    }

    /** Session commands Moquette dropped because their queue was full (in this JVM), for metrics. */
    public long sessionQueueOverruns() {
        return queueLoad.overruns();
    }

    /** Disconnects a client by its client id; false when no such client is connected. */
    public boolean disconnect(String clientId) {
        return server.disconnectClient(clientId);
    }

    @Override
    public void close() {
        if (started) {
            started = false;
            server.stopServer();
            LOG.info("event=broker.stopped");
        }
        if (gates != null) {
            gates.close();
        }
    }

    /** CONNECTs refused with "server busy" because too many logins were waiting (for metrics). */
    public long busyLoginRefusals() {
        return gates == null ? 0 : gates.busyRefusals();
    }

    private IConfig moquetteConfig() {
        Properties p = new Properties();
        p.setProperty(IConfig.HOST_PROPERTY_NAME, config.host().getHostAddress());
        p.setProperty(IConfig.SSL_PORT_PROPERTY_NAME, String.valueOf(config.port()));
        // Moquette opens plain TCP on 1883 unless told "disabled"
        p.setProperty(IConfig.PORT_PROPERTY_NAME, config.plainPort().map(String::valueOf).orElse("disabled"));
        p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "false");
        // mosquitto_pub and others send an empty id with a clean session; the broker then assigns a unique one
        p.setProperty("allow_zero_byte_client_id", "true");
        p.setProperty(IConfig.PEER_CERTIFICATE_AS_USERNAME, "false");
        p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
        p.setProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME, String.valueOf(config.maxMessageBytes()));
        p.setProperty("netty.channel_timeout.seconds", String.valueOf(config.connectTimeout().toSeconds()));
        p.setProperty("netty.tcp_nodelay", "true");
        p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "true");
        p.setProperty(IConfig.DATA_PATH_PROPERTY_NAME, config.dataDir().toAbsolutePath() + "/");
        p.setProperty(IConfig.PERSISTENT_QUEUE_TYPE_PROPERTY_NAME, "segmented");
        p.setProperty(IConfig.PERSISTENT_CLIENT_EXPIRATION_PROPERTY_NAME, config.sessionExpiry().toHours() + "h");
        p.setProperty(IConfig.SESSION_QUEUE_SIZE, String.valueOf(config.sessionQueueSize()));
        // our hook on the session queues (loaded by Moquette via ServiceLoader): it drives the intake gates
        p.setProperty(IConfig.METRICS_PROVIDER_CLASS, MoquetteQueueMetrics.class.getName());
        p.setProperty(IConfig.BUFFER_FLUSH_MS_PROPERTY_NAME, "immediate");
        p.setProperty("intercept.thread_pool.size", String.valueOf(INTERCEPTOR_THREADS));
        p.setProperty("reauthorize_subscriptions_on_connect", "true");
        return new MemoryConfig(p);
    }

    /** The broker could not start; the message is one line naming the cause. */
    public static final class BrokerStartException extends RuntimeException {
        public BrokerStartException(String message) {
            super(message);
        }
    }

}
