package org.amtbus.platform.kafka;

import java.io.IOException;
import java.util.Optional;
import org.amtbus.schemas.Json;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;

/** Reads a Kafka record's JSON value as one type; an unreadable record is logged by its place only and skipped. */
public final class RecordJson {

    private RecordJson() {
    }

    /**
     * @param invalidEvent the log event for a record that is not a {@code type}, e.g. {@code cira-relay.frame-invalid}
     * @return the value, or empty (logged with partition, offset and the exception's class, never the payload)
     */
    public static <T> Optional<T> read(ConsumerRecord<String, byte[]> record, Class<T> type, Logger log,
                                       String invalidEvent) {
        try {
            return Optional.of(Json.read(record.value(), type));
        } catch (IOException | RuntimeException e) {
            log.warn("event={} partition={} offset={} reason={}", invalidEvent, record.partition(), record.offset(),
                    e.getClass().getSimpleName());
            return Optional.empty();
        }
    }
}
