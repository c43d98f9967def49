package org.amtbus.provisioning.cira;

import java.io.IOException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.amtbus.provisioning.RelaySend;
import org.amtbus.provisioning.SealedInbox;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.agent.FrameCipher;
import org.amtbus.schemas.cira.CiraFrame;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.GatewayId;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.KafkaTopics;
import org.amtbus.wsman.client.Transport;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One APF channel to a device's web service, opened by the gateway holding its CIRA connection and driven over
 * Kafka: OPEN with this channel's X25519 key, OPENED with the gateway's, then sealed DATA both ways
 * ({@link FrameCipher}; DOWN is towards the device). The gateway's answer frames arrive through
 * {@link CiraRelay} in sequence; a gap, a frame that does not open, a FAIL or the relay stopping fails the
 * channel: the next {@link #receive} throws {@link IOException}.
 */
final class CiraChannel implements Transport.Connection {

    /** Kafka acknowledges in milliseconds; this long means it is unavailable. */

    private final CiraRelay relay;
    private final CiraFrame open;
    private final KeyPair keys = FrameCipher.newKeyPair();
    private final CompletableFuture<CiraFrame> answer = new CompletableFuture<>();
    private final SealedInbox inbox;
    private volatile FrameCipher cipher;
    private long sent;
    private volatile boolean closed;

    CiraChannel(CiraRelay relay, TenantId tenant, DeviceGuid guid, GatewayId gateway) {
        this.relay = relay;
        this.inbox = new SealedInbox("gateway " + gateway.value());
        this.open = new CiraFrame(CiraFrame.Kind.OPEN, tenant, guid, gateway, UUID.randomUUID(), 0, null,
                FrameCipher.encode(keys.getPublic()), null);
    }

    UUID id() {
        return open.connection();
    }

    boolean matches(CiraFrame frame) {
        return frame.guid().equals(open.guid()) && frame.gateway().equals(open.gateway())
                && frame.tenant().equals(open.tenant());
    }

    /** Asks the gateway for the channel and waits for its key, or its reason not to. */
    void handshake(Duration timeout) throws IOException {
        publish(open);
        CiraFrame reply;
        try {
            reply = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while opening a CIRA channel");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new IOException("gateway " + open.gateway().value() + " did not open a channel to device "
                    + open.guid().value() + " within " + timeout + " (is it running?)");
        }
        if (reply.kind() == CiraFrame.Kind.FAIL) {
            throw new IOException(reply.reason() == null ? "the gateway refused the channel" : reply.reason());
        }
        try {
            cipher = FrameCipher.derive(keys.getPrivate(), FrameCipher.decode(reply.key()), id());
        } catch (RuntimeException e) {
            throw new IOException("the gateway's public key is not usable");
        }
    }

    /** A frame of this channel from the gateway, on the relay's thread. */
    void deliver(CiraFrame frame) {
        switch (frame.kind()) {
            case OPENED -> answer.complete(frame);
            case FAIL -> {
                if (!answer.complete(frame)) {
                    fail(frame.reason() == null ? "the gateway ended the channel" : frame.reason());
                }
            }
            case DATA, CLOSE -> inbox.frame(cipher, frame.seq(), frame.kind() == CiraFrame.Kind.CLOSE, frame.data());
            default -> { }
        }
    }

    void fail(String reason) {
        answer.completeExceptionally(new IOException(reason));
        inbox.fail(reason);
    }

    @Override
    public synchronized void send(byte[] data) throws IOException {
        if (closed) {
            throw new IOException("connection is closed");
        }
        for (int off = 0; off < data.length; off += FrameCipher.MAX_PLAIN) {
            byte[] piece = Arrays.copyOfRange(data, off, Math.min(data.length, off + FrameCipher.MAX_PLAIN));
            long seq = sent++;
            byte[] sealed = cipher.seal(FrameCipher.Direction.DOWN, seq, piece);
            Arrays.fill(piece, (byte) 0);
            publish(open.reply(CiraFrame.Kind.DATA, seq, sealed, null, null));
        }
    }

    private void publish(CiraFrame frame) throws IOException {
        RelaySend.acknowledged(relay.producer(), new ProducerRecord<>(KafkaTopics.CIRA_WSMAN_DOWN,
                open.gateway().value(), Json.write(frame)), "gateway " + open.gateway().value());
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
        // best effort: the gateway also closes the channel when the device does, or after its idle time
        relay.producer().send(new ProducerRecord<>(KafkaTopics.CIRA_WSMAN_DOWN, open.gateway().value(),
                Json.write(open.reply(CiraFrame.Kind.CLOSE, 0, null, null, null))));
    }
}
