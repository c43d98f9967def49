package org.amtbus.provisioning.agent;

import java.io.IOException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.amtbus.schemas.Json;
import org.amtbus.provisioning.RelaySend;
import org.amtbus.provisioning.SealedInbox;
import org.amtbus.schemas.agent.AgentFrame;
import org.amtbus.schemas.agent.FrameCipher;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.topic.KafkaTopics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.amtbus.wsman.client.Transport;

/**
 * One relayed connection to a device's local AMT, named by a random correlation id. Bytes sent are sealed
 * ({@link FrameCipher}, this connection's own X25519 key with the agent's) and cut into {@link AgentFrame}s on
 * {@link KafkaTopics#AGENT_DOWN} (a send returns once Kafka has them); the agent's answer
 * frames arrive through {@link AgentRelay} in sequence. A gap in the sequence, the agent's session ending or the
 * relay stopping fails the connection: the next {@link #receive} throws {@link IOException}.
 */
final class AgentConnection implements Transport.Connection {

    /** Kafka acknowledges in milliseconds; this long means it is unavailable. */

    private final AgentRelay relay;
    private final AgentRelay.Agent agent;
    private final UUID id = UUID.randomUUID();
    private final KeyPair keys = FrameCipher.newKeyPair();
    private final FrameCipher cipher;
    private final SealedInbox inbox = new SealedInbox("the agent");
    private long sent;
    private volatile boolean closed;

    AgentConnection(AgentRelay relay, AgentRelay.Agent agent) {
        this.relay = relay;
        this.agent = agent;
        this.cipher = FrameCipher.derive(keys.getPrivate(), agent.publicKey(), id);
    }

    UUID id() {
        return id;
    }

    DeviceGuid guid() {
        return agent.guid();
    }

    AgentRelay.Agent agent() {
        return agent;
    }

    /** An answer frame of this connection, on the relay's thread. */
    void deliver(AgentFrame frame) {
        inbox.frame(cipher, frame.seq(), frame.kind() == AgentFrame.Kind.CLOSE, frame.data());
    }

    void fail(String reason) {
        inbox.fail(reason);
    }

    @Override
    public synchronized void send(byte[] data) throws IOException {
        if (closed) {
            throw new IOException("connection is closed");
        }
        if (!relay.stillConnected(agent)) {
            throw new IOException("the agent of device " + agent.guid() + " is not connected");
        }
        for (int off = 0; off < data.length; off += FrameCipher.MAX_PLAIN) {
            byte[] piece = Arrays.copyOfRange(data, off, Math.min(data.length, off + FrameCipher.MAX_PLAIN));
            long seq = sent++;
            AgentFrame frame = AgentFrame.data(agent.tenant(), agent.guid(), id, seq,
                    cipher.seal(FrameCipher.Direction.DOWN, seq, piece));
            Arrays.fill(piece, (byte) 0);
            publish(seq == 0 ? frame.withKey(FrameCipher.encode(keys.getPublic())) : frame);
        }
    }

    private void publish(AgentFrame frame) throws IOException {
        RelaySend.acknowledged(relay.producer(),
                new ProducerRecord<>(KafkaTopics.AGENT_DOWN, agent.guid().value(), Json.write(frame)), "the agent");
    }

    @Override
    public byte[] receive(Duration timeout) throws IOException, TimeoutException, InterruptedException {
        return inbox.receive(timeout);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        relay.closed(this);
        if (relay.stillConnected(agent)) {
            // best effort: the agent also drops the local connection when AMT closes it
            relay.producer().send(new ProducerRecord<>(KafkaTopics.AGENT_DOWN, agent.guid().value(),
                    Json.write(AgentFrame.close(agent.tenant(), agent.guid(), id, sent++))));
        }
    }
}
