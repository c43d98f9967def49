package org.amtbus.gateway.command;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import org.amtbus.gateway.device.ConnectedDevices;
import org.amtbus.gateway.device.DeviceLink;
import org.amtbus.platform.kafka.ConsumerLoop;
import org.amtbus.platform.kafka.RecordJson;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.agent.FrameCipher;
import org.amtbus.schemas.cira.CiraFrame;
import org.amtbus.schemas.model.GatewayId;
import org.amtbus.schemas.topic.KafkaTopics;
import org.amtbus.wsman.client.Transport;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's end of WS-Man over CIRA for provisioning workers: reads {@link KafkaTopics#CIRA_WSMAN_DOWN}
 * (a group of this gateway alone, from the latest offset), and for each {@link CiraFrame} naming this gateway
 * opens an APF channel to port 16992 of the device's live connection, relays the worker's bytes to it and the
 * device's answer back on {@link KafkaTopics#CIRA_WSMAN_UP}. The bytes are sealed end to end between worker and
 * gateway ({@link FrameCipher}, a key pair per channel), so Kafka never holds what AMT receives in clear. The
 * gateway adds no credentials: the worker authenticates to AMT itself (HTTP Digest).
 *
 * <p>Invariants: a channel is opened only for a device connected here in the tenant the frame names; a frame
 * out of sequence or that does not open fails its channel; when the device's connection ends the channel ends
 * (the worker sees CLOSE); every channel is closed when the gateway stops. Thread-safe; channels block on
 * virtual threads.
 */
public final class WsmanRelay extends ConsumerLoop {

    private static final Logger LOG = LoggerFactory.getLogger(WsmanRelay.class);
    /** A channel the worker has said nothing on for this long is closed. */
    static final Duration IDLE = Duration.ofMinutes(2);

    private final GatewayId gateway;
    private final ConnectedDevices connected;
    private final Producer<String, byte[]> producer;
    private final Map<UUID, Channel> channels = new ConcurrentHashMap<>();
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("cira-wsman-", 0).factory());

    /** One relayed APF channel. */
    private final class Channel {
        final CiraFrame open;
        final Transport.Connection stream;
        final FrameCipher cipher;
        long expected;
        long sent;

        Channel(CiraFrame open, Transport.Connection stream, FrameCipher cipher) {
            this.open = open;
            this.stream = stream;
            this.cipher = cipher;
        }

        /** Sends the device's bytes back until the channel ends or idles out. */
        void pump() {
            try {
                while (channels.get(open.connection()) == this) {
                    byte[] data;
                    try {
                        data = stream.receive(IDLE);
                    } catch (TimeoutException e) {
                        fail("the channel was idle for " + IDLE);
                        return;
                    }
                    if (data == null) {
                        channels.remove(open.connection(), this);
                        reply(open.reply(CiraFrame.Kind.CLOSE, next(), null, null, null));
                        return;
                    }
                    for (int off = 0; off < data.length; off += FrameCipher.MAX_PLAIN) {
                        byte[] piece = java.util.Arrays.copyOfRange(data, off, Math.min(data.length, off + FrameCipher.MAX_PLAIN));
                        long seq = next();
                        reply(open.reply(CiraFrame.Kind.DATA, seq, cipher.seal(FrameCipher.Direction.UP, seq, piece), null, null));
                    }
                }
            } catch (IOException | RuntimeException e) {
                fail("the device's channel broke: " + e.getClass().getSimpleName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("the gateway is stopping");
            }
        }

        synchronized long next() {
            return sent++;
        }

        void fail(String reason) {
            if (channels.remove(open.connection(), this)) {
                reply(open.reply(CiraFrame.Kind.FAIL, 0, null, null, reason));
            }
            stream.close();
        }
    }

    public WsmanRelay(Consumer<String, byte[]> consumer, GatewayId gateway, ConnectedDevices connected,
                      Producer<String, byte[]> producer) {
        super(consumer, List.of(KafkaTopics.CIRA_WSMAN_DOWN), "cira-wsman-" + gateway.value());
        this.gateway = Objects.requireNonNull(gateway);
        this.connected = Objects.requireNonNull(connected);
        this.producer = Objects.requireNonNull(producer);
    }

    @Override
    protected void handle(ConsumerRecord<String, byte[]> record) {
        Optional<CiraFrame> read = RecordJson.read(record, CiraFrame.class, LOG, "cira-wsman.frame-invalid");
        if (read.isEmpty()) {
            return;
        }
        CiraFrame frame = read.get();
        if (!frame.gateway().equals(gateway)) {
            return;
        }
        switch (frame.kind()) {
            case OPEN -> threads.execute(() -> open(frame));
            case DATA -> data(frame);
            case CLOSE -> {
                Channel channel = channels.remove(frame.connection());
                if (channel != null) {
                    channel.stream.close();
                }
            }
            default -> LOG.warn("event=cira-wsman.frame-invalid connection={} kind={}", frame.connection(), frame.kind());
        }
    }

    private void open(CiraFrame frame) {
        Optional<DeviceLink> link = connected.get(frame.guid())
                .filter(l -> l.device() != null && l.device().tenant().equals(frame.tenant()));
        if (link.isEmpty()) {
            reply(frame.reply(CiraFrame.Kind.FAIL, 0, null, null,
                    "device " + frame.guid().value() + " is not connected to gateway " + gateway.value()));
            return;
        }
        FrameCipher cipher;
        KeyPair keys = FrameCipher.newKeyPair();
        try {
            cipher = FrameCipher.derive(keys.getPrivate(), FrameCipher.decode(frame.key()), frame.connection());
        } catch (RuntimeException e) {
            reply(frame.reply(CiraFrame.Kind.FAIL, 0, null, null, "the worker's public key is not usable"));
            return;
        }
        Transport.Connection stream;
        try {
            stream = link.get().open();
        } catch (IOException | RuntimeException e) {
            reply(frame.reply(CiraFrame.Kind.FAIL, 0, null, null, "the device refused a channel to its web service: "
                    + e.getClass().getSimpleName()));
            return;
        }
        Channel channel = new Channel(frame, stream, cipher);
        channels.put(frame.connection(), channel);
        LOG.info("event=cira-wsman.opened guid={} tenant={} connection={}", frame.guid().value(), frame.tenant().value(),
                frame.connection());
        reply(frame.reply(CiraFrame.Kind.OPENED, 0, null, FrameCipher.encode(keys.getPublic()), null));
        channel.pump();
    }

    private void data(CiraFrame frame) {
        Channel channel = channels.get(frame.connection());
        if (channel == null) {
            reply(frame.reply(CiraFrame.Kind.FAIL, 0, null, null, "no open channel " + frame.connection() + " on gateway "
                    + gateway.value()));
            return;
        }
        if (frame.seq() != channel.expected) {
            channel.fail("the gateway lost a frame of the request (expected " + channel.expected + ", got " + frame.seq() + ")");
            return;
        }
        channel.expected++;
        try {
            channel.stream.send(channel.cipher.open(FrameCipher.Direction.DOWN, frame.seq(), frame.data()));
        } catch (GeneralSecurityException e) {
            channel.fail("a request frame does not open with the channel's key");
        } catch (IOException e) {
            channel.fail("the device's channel is closed");
        }
    }

    private void reply(CiraFrame frame) {
        producer.send(new ProducerRecord<>(KafkaTopics.CIRA_WSMAN_UP, frame.connection().toString(), Json.write(frame)),
                (metadata, error) -> {
                    if (error != null) {
                        LOG.warn("event=cira-wsman.reply-lost connection={} kind={} error={}", frame.connection(), frame.kind(),
                                error.getClass().getSimpleName());
                    }
                });
    }

    /** Channels open now. */
    public int openChannels() {
        return channels.size();
    }

    @Override
    public void close() {
        super.close();
        for (Channel channel : List.copyOf(channels.values())) {
            channel.fail("the gateway is stopping");
        }
        threads.shutdownNow();
    }
}
