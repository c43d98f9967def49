package org.amtbus.provisioning.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.security.PublicKey;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.amtbus.platform.kafka.ConsumerLoop;
import org.amtbus.provisioning.DeviceChannels;
import org.amtbus.provisioning.DeviceReport;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.agent.AgentFrame;
import org.amtbus.schemas.agent.AgentName;
import org.amtbus.schemas.agent.AgentReport;
import org.amtbus.schemas.agent.FrameCipher;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.BridgeHeaders;
import org.amtbus.schemas.topic.KafkaTopics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's side of the agent relay: the {@link DeviceChannels} of a provisioning node. It reads everything
 * agents publish (bridged by their broker to Kafka {@link KafkaTopics#AGENT_UP}, every node with its own group,
 * so it does not matter which broker an agent uses) and writes WS-Man request frames to
 * {@link KafkaTopics#AGENT_DOWN} (every broker delivers them to its own agents). A device's channel exists while
 * its agent's latest report is fresher than {@link #SILENCE} and no {@code gone} of that session came after it.
 *
 * <p>The bytes in the frames are sealed end to end ({@link FrameCipher}): the broker and Kafka carry only ciphertext
 * of what AMT receives (the MPS and MEBx passwords among it).
 *
 * <p>Invariants: a report or frame counts only when the broker stamped it as published by {@code agent-<guid>}
 * of the device it concerns, in the tenant asked about; a connection receives only frames of its own correlation
 * id and device, in sequence; when the agent's session ends (or its broker says nothing for {@link #SILENCE})
 * every open connection of it fails at once with an {@link IOException}, so a run ends as a clean transport
 * failure instead of waiting for its exchange timeout.
 *
 * <p>Threads: records are handled on the loop's thread; {@link #find} and the connections block callers (run
 * them on virtual threads). Thread-safe.
 */
public final class AgentRelay extends ConsumerLoop implements DeviceChannels {

    private static final Logger LOG = LoggerFactory.getLogger(AgentRelay.class);
    /** An agent re-reports every 30 s; three missed reports mean its broker or machine is gone. */
    public static final Duration SILENCE = Duration.ofSeconds(90);
    /** How long {@link #find} waits for the report of an agent that is just connecting. */
    public static final Duration DEFAULT_REPORT_WAIT = Duration.ofSeconds(20);

    /** One connected agent session, as its latest report told. */
    record Agent(TenantId tenant, DeviceGuid guid, String clientId, DeviceReport report, PublicKey publicKey, Instant lastSeen) { }

    private final Producer<String, byte[]> producer;
    private final Clock clock;
    private final Duration reportWait;
    private final Map<DeviceGuid, Agent> agents = new ConcurrentHashMap<>();
    private final Map<UUID, AgentConnection> connections = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition reported = lock.newCondition();

    /**
     * @param consumer a consumer in a group of this node alone (every node must see every agent)
     * @param producer writes the request frames
     */
    public AgentRelay(Consumer<String, byte[]> consumer, Producer<String, byte[]> producer, Clock clock, Duration reportWait) {
        super(consumer, List.of(KafkaTopics.AGENT_UP), "agent-relay");
        this.producer = Objects.requireNonNull(producer);
        this.clock = Objects.requireNonNull(clock);
        this.reportWait = Objects.requireNonNull(reportWait);
    }

    /** The channel to {@code guid}'s agent, waiting up to the report wait for an agent that is just connecting. */
    @Override
    public Optional<Channel> find(TenantId tenant, DeviceGuid guid) {
        long deadline = System.nanoTime() + reportWait.toNanos();
        lock.lock();
        try {
            while (true) {
                Agent agent = live(guid).orElse(null);
                if (agent != null && agent.tenant().equals(tenant)) {
                    return Optional.of(new Channel(agent.report(), new AgentTransport(this, agent)));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                reported.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** The agent session of {@code guid} if it is connected now. */
    Optional<Agent> live(DeviceGuid guid) {
        Agent agent = agents.get(guid);
        if (agent == null || agent.lastSeen().plus(SILENCE).isBefore(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(agent);
    }

    /** True while the agent session a connection was opened on is still the device's connected one. */
    boolean stillConnected(Agent agent) {
        return live(agent.guid()).filter(a -> a.clientId().equals(agent.clientId())).isPresent();
    }

    Producer<String, byte[]> producer() {
        return producer;
    }

    void opened(AgentConnection connection) {
        connections.put(connection.id(), connection);
    }

    void closed(AgentConnection connection) {
        connections.remove(connection.id(), connection);
    }

    @Override
    protected void handle(ConsumerRecord<String, byte[]> record) {
        DeviceGuid guid;
        try {
            guid = new DeviceGuid(record.key());
        } catch (IllegalArgumentException e) {
            return;
        }
        String principal = header(record, BridgeHeaders.PRINCIPAL);
        if (!AgentName.of(guid).equals(principal)) {
            LOG.warn("event=agent-relay.not-the-agent guid={} offset={}", guid, record.offset());
            return;
        }
        String clientId = header(record, BridgeHeaders.CLIENT_ID);
        switch (header(record, KafkaTopics.AGENT_KIND_HEADER)) {
            case "report" -> report(guid, clientId, header(record, BridgeHeaders.TENANT), record.value());
            case "responses" -> response(guid, clientId, record.value());
            case "gone" -> gone(guid, clientId);
            default -> LOG.warn("event=agent-relay.unknown-kind guid={} offset={}", guid, record.offset());
        }
    }

    private void report(DeviceGuid guid, String clientId, String tenant, byte[] value) {
        Agent agent;
        try {
            AgentReport report = Json.read(value, AgentReport.class);
            agent = new Agent(new TenantId(tenant), guid, clientId,
                    new DeviceReport(report.dnsSuffix(), new HashSet<>(report.trustedRootHashes())),
                    FrameCipher.decode(report.publicKey()), clock.instant());
        } catch (IOException | RuntimeException e) {
            LOG.warn("event=agent-relay.report-invalid guid={} reason={}", guid, e.getClass().getSimpleName());
            return;
        }
        Agent before = agents.put(guid, agent);
        if (before != null && !before.clientId().equals(clientId)) {
            failConnections(before, "the agent of device " + guid + " reconnected");
        }
        if (before == null || !before.clientId().equals(clientId)) {
            LOG.info("event=agent-relay.agent-connected guid={} tenant={} client={} suffix={}", guid, tenant, clientId,
                    agent.report().dnsSuffix());
        }
        lock.lock();
        try {
            reported.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void response(DeviceGuid guid, String clientId, byte[] value) {
        AgentFrame frame;
        try {
            frame = Json.read(value, AgentFrame.class);
        } catch (IOException | RuntimeException e) {
            LOG.warn("event=agent-relay.frame-invalid guid={} reason={}", guid, e.getClass().getSimpleName());
            return;
        }
        agents.computeIfPresent(guid, (g, a) -> a.clientId().equals(clientId)
                ? new Agent(a.tenant(), a.guid(), a.clientId(), a.report(), a.publicKey(), clock.instant()) : a);
        AgentConnection connection = connections.get(frame.connection());
        if (connection == null || !connection.guid().equals(guid) || !frame.guid().equals(guid)) {
            return; // a late frame of a closed connection, or not this device's
        }
        connection.deliver(frame);
    }

    private void gone(DeviceGuid guid, String clientId) {
        Agent removed = agents.get(guid);
        if (removed != null && removed.clientId().equals(clientId) && agents.remove(guid, removed)) {
            LOG.info("event=agent-relay.agent-gone guid={} client={}", guid, clientId);
            failConnections(removed, "the agent of device " + guid + " disconnected");
        }
    }

    private void failConnections(Agent agent, String reason) {
        for (AgentConnection c : connections.values()) {
            if (c.agent().guid().equals(agent.guid()) && c.agent().clientId().equals(agent.clientId())) {
                c.fail(reason);
            }
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Agents this node knows to be connected now. */
    public int connectedAgents() {
        return (int) agents.keySet().stream().filter(g -> live(g).isPresent()).count();
    }

    @Override
    public void close() {
        super.close();
        connections.values().forEach(c -> c.fail("the relay is stopping"));
        producer.close(Duration.ofSeconds(5));
    }
}
