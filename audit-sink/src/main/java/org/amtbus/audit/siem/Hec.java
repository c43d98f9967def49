package org.amtbus.audit.siem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;

/**
 * Renders an event as one Splunk HTTP Event Collector event object for {@code /services/collector/event}:
 * {@code {"time":<epoch s.mmm>,"host":..,"source":..,"sourcetype":..,"event":{audit event},"fields":{..}}}.
 * Several objects are sent concatenated in one POST body (HEC wants no JSON array). Pure; thread-safe.
 *
 * <p>Invariants: {@code time} is epoch <b>seconds</b> with three decimals (never milliseconds);
 * {@code fields} is flat (strings only, as HEC's index-time fields require) and carries
 * {@code event_id}; strings there are cut to {@link #MAX_FIELD} characters; {@code event} is the audit
 * event as amtbus serializes it.
 */
public final class Hec {

    public static final String SOURCETYPE = "amtbus:audit";
    static final int MAX_FIELD = 1024;

    /** Where HEC files the events: host, source, optional index (null for the token's default). */
    public record Target(String host, String source, String index) {
        public Target {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(source, "source");
        }
    }

    private Hec() {
    }

    /** One HEC event object (compact UTF-8 JSON, one line). */
    public static byte[] encode(SiemEvent event, Target target) {
        return JsonTree.bytes(document(event.values(), JsonTree.MAPPER.valueToTree(event.event()), target));
    }

    static ObjectNode document(Map<SiemField, String> values, JsonNode eventBody, Target target) {
        ObjectNode doc = JsonTree.object();
        String millis = values.get(SiemField.TIME);
        if (millis != null) {
            doc.set("time", DecimalNode.valueOf(BigDecimal.valueOf(Long.parseLong(millis), 3)));
        }
        doc.set("host", JsonTree.text(target.host(), MAX_FIELD));
        doc.set("source", JsonTree.text(target.source(), MAX_FIELD));
        doc.set("sourcetype", TextNode.valueOf(SOURCETYPE));
        if (target.index() != null) {
            doc.set("index", JsonTree.text(target.index(), MAX_FIELD));
        }
        doc.set("event", eventBody);
        ObjectNode fields = doc.putObject("fields");
        for (Map.Entry<SiemField, String> entry : values.entrySet()) {
            if (entry.getKey() != SiemField.TIME) { // top-level "time" already says it
                fields.set(entry.getKey().hec(), JsonTree.text(entry.getValue(), MAX_FIELD));
            }
        }
        return doc;
    }
}
