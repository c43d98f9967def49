package org.amtbus.audit.siem;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import java.util.Map;

/**
 * Renders an event as one Elastic Common Schema (ECS) JSON document, field names from {@link SiemField}.
 * Pure; thread-safe.
 *
 * <p>Invariants: {@code @timestamp} is ISO 8601 UTC with milliseconds; {@code event.outcome} is one of
 * ECS's {@code success|failure|unknown} (a denial or error is {@code failure}, and the exact outcome
 * stays in {@code labels.amtbus_outcome}); {@code event.kind} is {@code alert} for {@code alert.*}
 * events and {@code event} otherwise; every string is cut to {@link #MAX_KEYWORD} characters (ECS's
 * {@code ignore_above} for keywords) before escaping; {@code event.id} carries the event id.
 */
public final class Ecs {

    public static final String ECS_VERSION = "8.11.0";
    static final int MAX_KEYWORD = 1024;

    private Ecs() {
    }

    /** One ECS document (compact UTF-8 JSON, one line) for {@code event}. */
    public static byte[] encode(SiemEvent event, String productVersion) {
        return JsonTree.bytes(document(event.values(), productVersion));
    }

    static ObjectNode document(Map<SiemField, String> values, String productVersion) {
        ObjectNode doc = JsonTree.object();
        String type = values.getOrDefault(SiemField.TYPE, "unknown");
        String outcome = values.get(SiemField.OUTCOME);
        for (Map.Entry<SiemField, String> entry : values.entrySet()) {
            SiemField field = entry.getKey();
            String value = entry.getValue();
            switch (field) {
                case TIME -> JsonTree.put(doc, field.ecs(), TextNode.valueOf(timestamp(value)));
                case SEQ -> JsonTree.put(doc, field.ecs(), LongNode.valueOf(Long.parseLong(value)));
                case ACTOR_KIND -> JsonTree.put(doc, field.ecs(), JsonTree.MAPPER.createArrayNode()
                        .add(JsonTree.text(value, MAX_KEYWORD)));
                case OUTCOME -> {
                    JsonTree.put(doc, field.ecs(), TextNode.valueOf(ecsOutcome(value)));
                    JsonTree.put(doc, "labels.amtbus_outcome", JsonTree.text(value, MAX_KEYWORD));
                }
                default -> JsonTree.put(doc, field.ecs(), JsonTree.text(value, MAX_KEYWORD));
            }
        }
        JsonTree.put(doc, "ecs.version", TextNode.valueOf(ECS_VERSION));
        JsonTree.put(doc, "event.kind", TextNode.valueOf(type.startsWith("alert.") ? "alert" : "event"));
        ArrayNode category = JsonTree.MAPPER.createArrayNode().add(category(type));
        JsonTree.put(doc, "event.category", category);
        JsonTree.put(doc, "event.type", JsonTree.MAPPER.createArrayNode().add(eventType(type, outcome)));
        JsonTree.put(doc, "event.severity", LongNode.valueOf(Severity.of(type, outcome)));
        JsonTree.put(doc, "observer.vendor", TextNode.valueOf(Cef.VENDOR));
        JsonTree.put(doc, "observer.product", TextNode.valueOf(Cef.PRODUCT));
        JsonTree.put(doc, "observer.version", JsonTree.text(productVersion, MAX_KEYWORD));
        return doc;
    }

    /** Epoch milliseconds (the table's TIME value) as ISO 8601. */
    static String timestamp(String epochMillis) {
        return Instant.ofEpochMilli(Long.parseLong(epochMillis)).toString();
    }

    static String ecsOutcome(String outcome) {
        return switch (outcome) {
            case "success" -> "success";
            case "failure", "denied", "error" -> "failure";
            default -> "unknown";
        };
    }

    /** ECS {@code event.category} (an allowed value) from the type's first part. */
    static String category(String type) {
        String area = type.contains(".") ? type.substring(0, type.indexOf('.')) : type;
        return switch (area) {
            case "auth" -> "authentication";
            case "user" -> "iam";
            case "acl", "command" -> "api";
            case "device" -> "network";
            case "cert", "config", "profile", "secret" -> "configuration";
            case "alert" -> "intrusion_detection";
            default -> "host";
        };
    }

    /** ECS {@code event.type}, an allowed value for {@link #category}. */
    static String eventType(String type, String outcome) {
        String category = category(type);
        return switch (category) {
            case "authentication" -> type.equals("auth.login") ? "start" : "info";
            case "api" -> "denied".equals(outcome) ? "denied" : "access".equals(outcome) ? "access" : "info";
            case "iam" -> type.endsWith(".created") ? "creation" : type.endsWith(".deleted") ? "deletion" : "change";
            case "network" -> type.endsWith(".connected") ? "start" : type.endsWith(".disconnected") ? "end" : "connection";
            case "configuration" -> type.endsWith(".changed") ? "change" : "info";
            default -> "info";
        };
    }
}
