package org.amtbus.provisioning.cira;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.amtbus.platform.device.DeviceLeases;
import org.amtbus.platform.kafka.ConsumerLoop;
import org.amtbus.platform.kafka.RecordJson;
import org.amtbus.schemas.cira.CiraFrame;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.KafkaTopics;
import org.amtbus.wsman.client.Transport;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WS-Man to an already managed device through the gateway holding its CIRA connection: the worker's second
 * path to a device, for reconfiguring and deactivating machines that have no agent. {@link #find} asks
 * {@link DeviceLeases} which live gateway holds the device; each {@link Transport#open()} of the answer is one
 * {@link CiraChannel} (an APF channel to port 16992 opened by that gateway). Frames go to
 * {@link KafkaTopics#CIRA_WSMAN_DOWN}; answers are read from {@link KafkaTopics#CIRA_WSMAN_UP} (a group of this
 * node alone, latest offset) and handed to their channel by connection id.
 *
 * <p>Failures are clean {@link IOException}s: no lease (device not connected), the gateway refusing the channel
 * (device gone from it), no answer within {@link #OPEN_TIMEOUT} (gateway gone). Thread-safe.
 */
public final class CiraRelay extends ConsumerLoop {

    private static final Logger LOG = LoggerFactory.getLogger(CiraRelay.class);
    /** How long a gateway may take to open a channel (its own APF channel timeout is 10 s). */
    public static final Duration OPEN_TIMEOUT = Duration.ofSeconds(20);

    private final DeviceLeases leases;
    private final Producer<String, byte[]> producer;
    private final Duration openTimeout;
    private final Map<UUID, CiraChannel> channels = new ConcurrentHashMap<>();

    /**
     * @param consumer a consumer in a group of this node alone, from the latest offset
     * @param producer writes the request frames (closed with the relay)
     */
    public CiraRelay(Consumer<String, byte[]> consumer, Producer<String, byte[]> producer, DeviceLeases leases,
                     Duration openTimeout) {
        super(consumer, List.of(KafkaTopics.CIRA_WSMAN_UP), "cira-relay");
        this.producer = Objects.requireNonNull(producer);
        this.leases = Objects.requireNonNull(leases);
        this.openTimeout = Objects.requireNonNull(openTimeout);
    }

    /** WS-Man to the device through the gateway holding it now; empty when no live gateway holds it in {@code tenant}. */
    public Optional<Transport> find(TenantId tenant, DeviceGuid guid) {
        return leases.holder(guid).filter(l -> l.tenant().equals(tenant)).map(lease -> new Transport() {
            @Override
            public Connection open() throws IOException {
                CiraChannel channel = new CiraChannel(CiraRelay.this, tenant, guid, lease.gatewayId());
                channels.put(channel.id(), channel);
                try {
                    channel.handshake(openTimeout);
                } catch (IOException | RuntimeException e) {
                    channels.remove(channel.id());
                    throw e;
                }
                return channel;
            }

            @Override
            public String toString() {
                return "CiraTransport[guid=" + guid.value() + ", gateway=" + lease.gatewayId().value() + "]";
            }
        });
    }

    @Override
    protected void handle(ConsumerRecord<String, byte[]> record) {
        Optional<CiraFrame> read = RecordJson.read(record, CiraFrame.class, LOG, "cira-relay.frame-invalid");
        if (read.isEmpty()) {
            return;
        }
        CiraFrame frame = read.get();
        CiraChannel channel = channels.get(frame.connection());
        if (channel != null && channel.matches(frame)) {
            channel.deliver(frame);
        }
    }

    Producer<String, byte[]> producer() {
        return producer;
    }

    void closed(CiraChannel channel) {
        channels.remove(channel.id());
    }

    /** Channels open now. */
    public int openChannels() {
        return channels.size();
    }

    @Override
    public void close() {
        super.close();
        for (CiraChannel channel : List.copyOf(channels.values())) {
            channel.fail("the CIRA relay of this node stopped");
        }
        producer.close(Duration.ofSeconds(5));
    }
}
