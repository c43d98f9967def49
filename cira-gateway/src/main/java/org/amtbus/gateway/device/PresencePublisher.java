package org.amtbus.gateway.device;

import java.time.Clock;
import java.util.Objects;
import java.util.UUID;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.GatewayId;
import org.amtbus.schemas.model.Presence;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.KafkaTopics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes {@link Presence} to {@code amtbus.presence}, keyed by GUID (the topic is compacted: the last word stays). */
public final class PresencePublisher {

    private static final Logger LOG = LoggerFactory.getLogger(PresencePublisher.class);
    private final Producer<String, byte[]> producer;
    private final Clock clock;

    public PresencePublisher(Producer<String, byte[]> producer, Clock clock) {
        this.producer = Objects.requireNonNull(producer);
        this.clock = Objects.requireNonNull(clock);
    }

    public void connected(TenantId tenant, DeviceGuid guid, GatewayId gateway) {
        publish(new Presence(UUID.randomUUID(), tenant, guid, Presence.State.CONNECTED, gateway, clock.instant(), null,
                clock.instant()));
    }

    /** @param reason why, in a few words: {@code device closed the connection}, {@code gateway heartbeat lapsed} */
    public void disconnected(TenantId tenant, DeviceGuid guid, GatewayId gateway, String reason) {
        publish(new Presence(UUID.randomUUID(), tenant, guid, Presence.State.DISCONNECTED, gateway, clock.instant(),
                reason, clock.instant()));
    }

    private void publish(Presence presence) {
        producer.send(new ProducerRecord<>(KafkaTopics.PRESENCE, presence.guid().value(), Json.write(presence)),
                (metadata, error) -> {
                    if (error != null) {
                        LOG.warn("presence not published [guid: {}, state: {}]: {}", presence.guid(),
                                presence.state().wireName(), error.toString());
                    }
                });
    }
}
