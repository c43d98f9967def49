package org.amtbus.audit.siem;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.amtbus.audit.chain.StreamId;
import org.amtbus.audit.query.StoredEvent;
import org.amtbus.schemas.model.AuditEvent;

/**
 * An audit event with its place in the trail, as every SIEM format renders it. The event id (the
 * dedup key every format carries) and the stream/seq pair are stable across redeliveries.
 */
public record SiemEvent(StreamId stream, long seq, AuditEvent event) {

    public SiemEvent {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(event, "event");
    }

    public static SiemEvent of(StoredEvent stored) {
        return new SiemEvent(stored.stream(), stored.seq(), stored.event());
    }

    /** Every field the event has, as text, in the table's order (absent fields are left out). */
    public Map<SiemField, String> values() {
        Map<SiemField, String> values = new EnumMap<>(SiemField.class);
        for (SiemField field : SiemField.values()) {
            String value = value(field);
            if (value != null) {
                values.put(field, value);
            }
        }
        return values;
    }

    /** The field's value as text, null when the event has none. */
    public String value(SiemField field) {
        return switch (field) {
            case EVENT_ID -> event.id().toString();
            case TIME -> Long.toString(event.time().toEpochMilli());
            case TYPE -> event.type();
            case ACTOR_KIND -> event.actor().kind().wireName();
            case ACTOR -> event.actor().name();
            case SOURCE -> event.source();
            case TENANT -> event.tenant() == null ? null : event.tenant().toString();
            case TARGET -> event.target();
            case OUTCOME -> event.outcome().wireName();
            case REASON -> event.reason();
            case STREAM -> stream.value();
            case SEQ -> Long.toString(seq);
        };
    }
}
