package org.amtbus.audit.store;

import java.util.Objects;
import org.amtbus.audit.chain.StreamId;
import org.amtbus.schemas.model.AuditEvent;

/**
 * A validated audit event on its way into the store: its stream, its canonical bytes (the Kafka
 * record value as received, which the chain hashes and the store keeps verbatim) and the event bound
 * from exactly those bytes (for the search columns). The byte array is not copied: the caller hands
 * it over and does not change it.
 */
public record IncomingEvent(StreamId stream, byte[] bytes, AuditEvent event) {

    public IncomingEvent {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(event, "event");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IncomingEvent other && stream.equals(other.stream) && event.id().equals(other.event.id());
    }

    @Override
    public int hashCode() {
        return event.id().hashCode();
    }

    @Override
    public String toString() {
        return "IncomingEvent[stream=" + stream + ", id=" + event.id() + ", type=" + event.type() + "]";
    }
}
