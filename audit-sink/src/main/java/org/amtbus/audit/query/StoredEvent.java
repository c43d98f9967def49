package org.amtbus.audit.query;

import java.time.Instant;
import java.util.Objects;
import org.amtbus.audit.chain.StreamId;
import org.amtbus.schemas.model.AuditEvent;

/**
 * An event as the trail holds it: where it sits in its stream's chain and when it was stored.
 *
 * @param position global order of storage (across streams)
 * @param hash     its chain hash, lowercase hex
 */
public record StoredEvent(StreamId stream, long seq, long position, AuditEvent event, Instant storedAt, String hash) {

    public StoredEvent {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(storedAt, "storedAt");
        Objects.requireNonNull(hash, "hash");
    }
}
