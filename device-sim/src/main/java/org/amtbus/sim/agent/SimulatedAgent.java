package org.amtbus.sim.agent;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.amtbus.platform.tls.TlsContexts;
import org.amtbus.platform.tls.TlsPolicy;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.agent.AgentFrame;
import org.amtbus.schemas.agent.AgentName;
import org.amtbus.schemas.agent.AgentReport;
import org.amtbus.schemas.agent.AgentTopic;
import org.amtbus.schemas.agent.FrameCipher;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.sim.amt.AmtWebService;
import org.amtbus.sim.amt.ByteSink;
import org.amtbus.sim.amt.CiraSettings;
import org.amtbus.sim.amt.SimulatedDevice;
import org.amtbus.sim.cira.CiraDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent on a simulated machine, as Open AMT's RPC is on a real one: it logs in to the broker as
 * {@code agent-<guid>} with a one-time enrollment token, publishes its {@link AgentReport} (and again every
 * {@link #REPORT_INTERVAL}), relays WS-Man request frames to the machine's local AMT ({@link AmtWebService#openLocal},
 * one local session per correlation id) and publishes AMT's answers as response frames, every frame sealed
 * end to end ({@link FrameCipher}: this session's X25519 key, published in the report, with the worker's key of
 * the connection). Once AMT holds a CIRA
 * configuration and is activated, it dials the gateway it was told (and redials when that connection ends).
 *
 * <p>Threads: frames are handled in arrival order on one thread per agent; MQTT publishes are asynchronous.
 */
public final class SimulatedAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedAgent.class);
    public static final Duration REPORT_INTERVAL = Duration.ofSeconds(30);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration REDIAL = Duration.ofSeconds(2);

    /** How a test wants the agent to misbehave. */
    public enum Behaviour {
        RELAY,
        /** Drop off the broker (without relaying) when the first request frame arrives: the agent dies mid-run. */
        VANISH_AT_FIRST_REQUEST
    }

    /** Where the broker is and the CA its certificate comes from. */
    public record Broker(String host, int port, X509Certificate ca) {
        public Broker {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(ca, "ca");
        }
    }

    /** One local AMT session behind a correlation id. */
    private final class Local {
        final UUID id;
        final FrameCipher cipher;
        final AmtWebService.Session session;
        final AtomicLong sent = new AtomicLong();
        long expected;

        Local(UUID id, PublicKey workerKey) {
            this.id = id;
            this.cipher = FrameCipher.derive(keys.getPrivate(), workerKey, id);
            this.session = web.openLocal(new ByteSink() {
                @Override
                public void write(byte[] data) {
                    for (int off = 0; off < data.length; off += FrameCipher.MAX_PLAIN) {
                        byte[] piece = Arrays.copyOfRange(data, off, Math.min(data.length, off + FrameCipher.MAX_PLAIN));
                        long seq = sent.getAndIncrement();
                        respond(AgentFrame.data(tenant, guid, Local.this.id, seq,
                                cipher.seal(FrameCipher.Direction.UP, seq, piece)));
                    }
                }

                @Override
                public void close() {
                    respond(AgentFrame.close(tenant, guid, Local.this.id, sent.getAndIncrement()));
                    locals.remove(Local.this.id);
                }
            });
        }
    }

    private final SimulatedDevice device;
    private final AmtWebService web;
    private final TenantId tenant;
    private final DeviceGuid guid;
    private final Behaviour behaviour;
    private final EventLoopGroup ciraGroup;
    private final Mqtt5AsyncClient client;
    private final Map<UUID, Local> locals = new ConcurrentHashMap<>();
    /** This session's key pair: the worker seals requests to its public half. */
    private final KeyPair keys = FrameCipher.newKeyPair();
    private final ScheduledExecutorService worker;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile CiraDevice cira;

    private SimulatedAgent(SimulatedDevice device, AmtWebService web, TenantId tenant, Broker broker, byte[] token,
                           Behaviour behaviour, EventLoopGroup ciraGroup) {
        this.device = device;
        this.web = web;
        this.tenant = tenant;
        this.guid = DeviceGuid.of(device.guid());
        this.behaviour = behaviour;
        this.ciraGroup = ciraGroup;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sim-agent-" + guid.value().substring(0, 8));
            t.setDaemon(true);
            return t;
        });
        this.client = MqttClient.builder().useMqttVersion5()
                .identifier(AgentName.of(guid) + "-" + UUID.randomUUID().toString().substring(0, 8))
                .serverHost(broker.host()).serverPort(broker.port())
                .sslConfig().trustManagerFactory(TlsContexts.trustManagerFactory(broker.ca())).applySslConfig()
                .simpleAuth().username(AgentName.of(guid)).password(token).applySimpleAuth()
                .buildAsync();
    }

    /**
     * Logs the agent in with {@code token}, subscribes to its requests and publishes its report.
     *
     * @param ciraGroup the event loops the CIRA connection uses once AMT is configured
     * @throws IOException when the broker refuses the token or cannot be reached
     */
    public static SimulatedAgent connect(SimulatedDevice device, AmtWebService web, TenantId tenant, Broker broker,
                                         byte[] token, Behaviour behaviour, EventLoopGroup ciraGroup) throws IOException {
        SimulatedAgent agent = new SimulatedAgent(device, web, tenant, broker, token, behaviour, ciraGroup);
        agent.start();
        return agent;
    }

    private void start() throws IOException {
        try {
            client.connect().get(CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            worker.shutdownNow();
            throw new IOException("the broker refused agent " + AgentName.of(guid) + " or could not be reached: "
                    + (e.getCause() == null ? e : e.getCause()).getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting");
        }
        client.publishes(MqttGlobalPublishFilter.SUBSCRIBED, this::onRequest, worker);
        try {
            Mqtt5SubAck ack = client.subscribeWith().topicFilter(new AgentTopic(tenant, guid, AgentTopic.Kind.REQUESTS).name())
                    .qos(MqttQos.AT_LEAST_ONCE).send().get(CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (ack.getReasonCodes().stream().anyMatch(c -> c.isError())) {
                throw new IOException("the broker refused the agent's subscription: " + ack.getReasonCodes());
            }
        } catch (ExecutionException | TimeoutException e) {
            close();
            throw new IOException("could not subscribe to the requests topic: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while subscribing");
        }
        worker.scheduleAtFixedRate(this::report, 0, REPORT_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("event=sim-agent.connected guid={} tenant={}", guid, tenant);
    }

    /** Publishes what the agent knows about the machine. */
    private void report() {
        AgentReport report = new AgentReport(device.dnsSuffix(), List.copyOf(device.trustedRootHashes()), device.hostName(),
                device.amtVersion(), device.provisioningState(), device.controlMode().value, FrameCipher.encode(keys.getPublic()),
                Clock.systemUTC().instant());
        client.publishWith().topic(new AgentTopic(tenant, guid, AgentTopic.Kind.REPORT).name()).qos(MqttQos.AT_LEAST_ONCE)
                .payload(Json.write(report)).send();
    }

    private void onRequest(Mqtt5Publish publish) {
        if (closed.get()) {
            return;
        }
        if (behaviour == Behaviour.VANISH_AT_FIRST_REQUEST) {
            LOG.info("event=sim-agent.vanishing guid={}", guid);
            close();
            return;
        }
        AgentFrame frame;
        try {
            frame = Json.read(publish.getPayloadAsBytes(), AgentFrame.class);
        } catch (IOException | RuntimeException e) {
            LOG.warn("event=sim-agent.frame-invalid guid={} reason={}", guid, e.getClass().getSimpleName());
            return;
        }
        if (!frame.guid().equals(guid)) {
            return;
        }
        Local local = locals.get(frame.connection());
        if (frame.kind() == AgentFrame.Kind.CLOSE) {
            if (local != null) {
                locals.remove(frame.connection());
                local.session.closed();
            }
            dialWhenConfigured();
            return;
        }
        if (local == null) {
            if (frame.seq() != 0 || frame.key() == null) {
                LOG.warn("event=sim-agent.frame-without-connection guid={} seq={}", guid, frame.seq());
                return;
            }
            try {
                local = new Local(frame.connection(), FrameCipher.decode(frame.key()));
            } catch (IllegalArgumentException e) {
                LOG.warn("event=sim-agent.bad-key guid={}", guid);
                return;
            }
            locals.put(local.id, local);
        }
        byte[] plain;
        try {
            if (frame.seq() != local.expected) {
                throw new GeneralSecurityException("frame " + frame.seq() + " where " + local.expected + " was due");
            }
            plain = local.cipher.open(FrameCipher.Direction.DOWN, frame.seq(), frame.data());
        } catch (GeneralSecurityException e) {
            LOG.warn("event=sim-agent.frame-refused guid={} reason={}", guid, e.getMessage());
            local.session.closed();
            locals.remove(local.id);
            return;
        }
        local.expected++;
        local.session.receive(plain);
        dialWhenConfigured();
    }

    private void respond(AgentFrame frame) {
        client.publishWith().topic(new AgentTopic(tenant, guid, AgentTopic.Kind.RESPONSES).name())
                .qos(MqttQos.AT_LEAST_ONCE).payload(Json.write(frame)).send();
    }

    /** After CIRA configuration, the activated machine dials the gateway it was told. */
    private void dialWhenConfigured() {
        Optional<CiraSettings> settings = device.ciraSettings();
        if (cira != null || settings.isEmpty() || device.provisioningState() != 2 || settings.get().trustedRoots().isEmpty()) {
            return;
        }
        dial(settings.get());
    }

    private void dial(CiraSettings settings) {
        if (closed.get()) {
            return;
        }
        var tls = TlsContexts.clientContext(settings.trustedRoots().get(0), TlsPolicy.CIRA, Optional.empty());
        CiraDevice connection = new CiraDevice(device, web).dial(ciraGroup, tls,
                new InetSocketAddress(settings.mpsAddress(), settings.port()));
        cira = connection;
        LOG.info("event=sim-agent.cira-dialling guid={} gateway={}:{}", guid, settings.mpsAddress(), settings.port());
        connection.closed().whenComplete((reason, error) -> {
            if (!closed.get() && device.ciraSettings().isPresent()) {
                worker.schedule(() -> dial(device.ciraSettings().get()), REDIAL.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    /** The CIRA connection once the agent dialled, for tests. */
    public Optional<CiraDevice> cira() {
        return Optional.ofNullable(cira);
    }

    public DeviceGuid guid() {
        return guid;
    }

    /** Leaves the broker and hangs up CIRA. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        client.disconnect();
        worker.shutdown();
        locals.values().forEach(l -> l.session.closed());
        CiraDevice c = cira;
        if (c != null) {
            c.vanish();
        }
    }
}
