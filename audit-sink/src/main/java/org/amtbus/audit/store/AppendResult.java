package org.amtbus.audit.store;

import java.util.List;
import org.amtbus.schemas.model.AuditEvent;

/**
 * What one {@link AuditStore#append} transaction did.
 *
 * @param stored       events chained and stored
 * @param duplicates   events already stored (same event id), skipped: a redelivery
 * @param rejected     rejected records noted (a redelivered rejection counts again but is kept once)
 * @param storedEvents the events chained and stored, in batch order (none of the duplicates)
 */
public record AppendResult(int stored, int duplicates, int rejected, List<AuditEvent> storedEvents) {

    public AppendResult {
        storedEvents = List.copyOf(storedEvents);
        if (storedEvents.size() != stored) {
            throw new IllegalArgumentException("stored " + stored + " but " + storedEvents.size() + " events listed");
        }
    }

    static AppendResult nothing() {
        return new AppendResult(0, 0, 0, List.of());
    }
}
