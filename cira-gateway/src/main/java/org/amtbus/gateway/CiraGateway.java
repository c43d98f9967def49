package org.amtbus.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.amtbus.gateway.cira.ApfSession;
import org.amtbus.gateway.cira.CiraServer;
import org.amtbus.gateway.cira.CiraServices;
import org.amtbus.gateway.command.DeviceCommands;
import org.amtbus.gateway.command.GatewayCommandConsumer;
import org.amtbus.gateway.command.WsmanRelay;
import org.amtbus.gateway.device.ConnectedDevices;
import org.amtbus.gateway.device.DeviceAuthenticator;
import org.amtbus.gateway.device.DevicePresence;
import org.amtbus.gateway.device.GatewayLiveness;
import org.amtbus.gateway.device.PresencePublisher;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.platform.device.DeviceLeases;
import org.amtbus.platform.device.DeviceRegistry;
import org.amtbus.platform.device.DeviceSecrets;
import org.amtbus.platform.kafka.KafkaClients;
import org.amtbus.platform.kafka.Topics;
import org.amtbus.platform.secret.SecretStore;
import org.amtbus.platform.tls.IssuedCertificate;
import org.amtbus.platform.tls.TlsContexts;
import org.amtbus.platform.tls.TlsPolicy;
import org.amtbus.platform.tls.TlsProviderChoice;
import org.amtbus.schemas.SchemaValidator;
import org.amtbus.schemas.model.GatewayId;
import org.amtbus.schemas.topic.KafkaTopics;
import org.apache.kafka.clients.producer.Producer;

/**
 * The cira-gateway role: the CIRA listener, device authentication, leases and presence, the commands
 * of its Kafka topic executed on the devices it holds, and WS-Man relayed for provisioning workers
 * ({@link WsmanRelay}). Start order: gateway id and heartbeat (refused if
 * another live gateway has the id), command consumer, then the listener, so a device is never accepted
 * before its commands can be served. Close reverses it.
 */
public final class CiraGateway implements AutoCloseable {

    /**
     * @param leaseTime      how long a lease outlives the gateway's last heartbeat
     * @param limits         timeouts and connection caps of the listener
     * @param channelTimeout how long a device may take to confirm an APF channel
     * @param exchangeTimeout one WS-Man exchange, including the Digest retry
     * @param tlsProvider    BoringSSL or the JDK's TLS for the listener (same policy either way)
     */
    public record Settings(GatewayId id, InetSocketAddress address, Duration leaseTime, CiraServer.Limits limits,
                           Duration channelTimeout, Duration exchangeTimeout, ApfSession.Config session,
                           TlsProviderChoice tlsProvider) {
        public static final int DEFAULT_PORT = 4433;

        public Settings {
            Objects.requireNonNull(id);
            Objects.requireNonNull(address);
            Objects.requireNonNull(session);
            Objects.requireNonNull(limits);
            Objects.requireNonNull(tlsProvider);
        }

        public static Settings defaults(GatewayId id, InetSocketAddress address) {
            return new Settings(id, address, Duration.ofSeconds(15), CiraServer.Limits.defaults(), Duration.ofSeconds(10),
                    Duration.ofSeconds(30), ApfSession.Config.defaults(), TlsProviderChoice.AUTO);
        }
    }

    private final GatewayLiveness liveness;
    private final DeviceCommands commands;
    private final GatewayCommandConsumer consumer;
    private final WsmanRelay wsman;
    private final CiraServer server;
    private final ConnectedDevices connected;
    private final ExecutorService blocking;
    private final Producer<String, byte[]> producer;
    private final Producer<String, byte[]> presenceProducer;

    private CiraGateway(GatewayLiveness liveness, DeviceCommands commands, GatewayCommandConsumer consumer, WsmanRelay wsman,
                        CiraServer server, ConnectedDevices connected, ExecutorService blocking,
                        Producer<String, byte[]> producer, Producer<String, byte[]> presenceProducer) {
        this.presenceProducer = presenceProducer;
        this.liveness = liveness;
        this.commands = commands;
        this.consumer = consumer;
        this.wsman = wsman;
        this.server = server;
        this.connected = connected;
        this.blocking = blocking;
        this.producer = producer;
    }

    public static CiraGateway start(Settings settings, IssuedCertificate identity, DataSource database, SecretStore secretStore,
                                    KafkaClients kafka, Topics topics, AuditLog audit, MeterRegistry metrics, Clock clock) {
        DeviceLeases leases = new DeviceLeases(database);
        DeviceSecrets secrets = new DeviceSecrets(secretStore);
        ConnectedDevices connected = new ConnectedDevices();
        Producer<String, byte[]> producer = kafka.producer("gateway-" + settings.id().value());
        // presence has its own producer that gathers a storm's records per tick; commands and results keep the prompt one
        Producer<String, byte[]> presenceProducer = kafka.bulkProducer("gateway-presence-" + settings.id().value());
        DevicePresence presence = new DevicePresence(settings.id(), leases, connected,
                new PresencePublisher(presenceProducer, clock), audit, metrics);
        GatewayLiveness liveness = new GatewayLiveness(settings.id(), leases, presence, settings.leaseTime());
        ExecutorService blocking = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("cira-blocking-", 0).factory());
        DeviceCommands commands = new DeviceCommands(settings.id(), connected, secrets, producer, audit, metrics, clock,
                settings.exchangeTimeout());
        GatewayCommandConsumer consumer = null;
        WsmanRelay wsman = null;
        try {
            liveness.start();
            String topic = topics.ensureGatewayTopic(settings.id().value());
            consumer = new GatewayCommandConsumer(
                    kafka.consumer("amtbus-gateway-" + settings.id().value(), KafkaClients.OffsetReset.EARLIEST), topic,
                    commands, new SchemaValidator(), metrics);
            consumer.start();
            if (!consumer.awaitReady(Duration.ofSeconds(60))) {
                throw new IllegalStateException("the gateway's command topic " + topic + " was not assigned within 60 s");
            }
            wsman = new WsmanRelay(kafka.consumer("amtbus-gateway-wsman-" + settings.id().value(),
                    KafkaClients.OffsetReset.LATEST), settings.id(), connected, producer);
            wsman.start();
            if (!wsman.awaitReady(Duration.ofSeconds(60))) {
                throw new IllegalStateException("the topic " + KafkaTopics.CIRA_WSMAN_DOWN + " was not assigned within 60 s");
            }
            CiraServices services = new CiraServices(settings.id(),
                    settings.session().keepingAliveWithin(settings.limits().idleTimeout()),
                    new DeviceAuthenticator(new DeviceRegistry(database), secrets), presence, audit, metrics, blocking,
                    settings.channelTimeout());
            CiraServer server = CiraServer.start(settings.address(), TlsContexts.serverContext(identity, TlsPolicy.CIRA,
                    java.util.Optional.empty(), settings.tlsProvider().resolve()), services,
                    settings.limits());
            return new CiraGateway(liveness, commands, consumer, wsman, server, connected, blocking, producer, presenceProducer);
        } catch (RuntimeException e) {
            if (wsman != null) {
                wsman.close();
            }
            if (consumer != null) {
                consumer.close();
            }
            commands.close();
            liveness.close();
            blocking.shutdownNow();
            producer.close();
            presenceProducer.close();
            throw e;
        }
    }

    /** The TLS implementation of the CIRA listener. */
    public io.netty.handler.ssl.SslProvider tlsProvider() {
        return server.tlsProvider();
    }

    /** The CIRA port (useful when started on port 0). */
    public int port() {
        return server.port();
    }

    /** Devices connected now. */
    public int connectedDevices() {
        return connected.size();
    }

    /** False while the heartbeat cannot be written. */
    public boolean healthy() {
        return liveness.healthy();
    }

    @Override
    public void close() {
        server.close();
        wsman.close();
        consumer.close();
        commands.close();
        blocking.shutdown();
        try {
            blocking.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        liveness.close();
        producer.close(Duration.ofSeconds(5));
        presenceProducer.close(Duration.ofSeconds(5));
    }
}
