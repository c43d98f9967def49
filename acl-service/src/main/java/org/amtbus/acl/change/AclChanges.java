package org.amtbus.acl.change;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import org.amtbus.schemas.topic.KafkaTopics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Publishes and reads {@link AclChange}s on {@code amtbus.acl.changes}. */
public final class AclChanges {

    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    private final Producer<String, byte[]> producer;

    public AclChanges(Producer<String, byte[]> producer) {
        this.producer = Objects.requireNonNull(producer);
    }

    /** Sends a change and waits for Kafka's acknowledgement: an admin command reports done only once brokers can see it. */
    public void publish(AclChange change) {
        try {
            producer.send(new ProducerRecord<>(KafkaTopics.ACL_CHANGES, change.account(), JSON.writeValueAsBytes(change))).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing an access change", e);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish the access change of " + change.account() + ": " + e.getMessage(), e);
        }
    }

    /** Parses a record value; empty for anything that is not a valid change. */
    public static Optional<AclChange> parse(byte[] value) {
        try {
            return Optional.of(JSON.readValue(value, AclChange.class));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
