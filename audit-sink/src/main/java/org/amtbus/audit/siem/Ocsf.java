package org.amtbus.audit.siem;

import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;

/**
 * Renders an event as one OCSF 1.1 JSON event, field names from {@link SiemField}. Pure; thread-safe.
 *
 * <p>Invariants: {@code class_uid}, {@code category_uid} and {@code activity_id} come from
 * {@link OcsfClass} and {@code type_uid = class_uid * 100 + activity_id}; {@code time} is epoch
 * milliseconds; {@code status_id} is 1 for success and 2 for anything else; {@code severity_id} follows
 * the shared severity scale; strings are cut to {@link #MAX_STRING} characters before escaping;
 * {@code metadata.uid} carries the event id.
 */
public final class Ocsf {

    public static final String SCHEMA_VERSION = "1.1.0";
    static final int MAX_STRING = 1024;

    /** The OCSF classes amtbus events map to, by the type's first part. */
    enum OcsfClass {
        BASE_EVENT(0, 0),
        AUTHENTICATION(3002, 3),
        ACCOUNT_CHANGE(3001, 3),
        ENTITY_MANAGEMENT(3004, 3),
        NETWORK_ACTIVITY(4001, 4),
        API_ACTIVITY(6003, 6),
        COMPLIANCE_FINDING(2003, 2),
        DETECTION_FINDING(2004, 2);

        final int uid;
        final int category;

        OcsfClass(int uid, int category) {
            this.uid = uid;
            this.category = category;
        }

        static OcsfClass of(String type) {
            String area = type.contains(".") ? type.substring(0, type.indexOf('.')) : type;
            return switch (area) {
                case "auth" -> AUTHENTICATION;
                case "user" -> ACCOUNT_CHANGE;
                case "profile" -> ENTITY_MANAGEMENT;
                case "device" -> NETWORK_ACTIVITY;
                case "acl", "command" -> API_ACTIVITY;
                case "cert" -> COMPLIANCE_FINDING;
                case "alert" -> DETECTION_FINDING;
                default -> BASE_EVENT;
            };
        }

        /** The class's activity for {@code type}; 99 (Other) when none fits. */
        int activity(String type) {
            return switch (this) {
                case AUTHENTICATION -> type.equals("auth.login") ? 1 : type.equals("auth.logout") ? 2 : 99;
                case ACCOUNT_CHANGE -> type.endsWith(".created") ? 1 : type.endsWith(".password-changed") ? 3
                        : type.endsWith(".deleted") ? 6 : 99;
                case NETWORK_ACTIVITY -> type.endsWith(".connected") ? 1 : type.endsWith(".disconnected") ? 2
                        : type.endsWith(".refused") ? 5 : 99;
                case COMPLIANCE_FINDING, DETECTION_FINDING -> 1;
                default -> 99;
            };
        }
    }

    private Ocsf() {
    }

    /** One OCSF event (compact UTF-8 JSON, one line) for {@code event}. */
    public static byte[] encode(SiemEvent event, String productVersion) {
        return JsonTree.bytes(document(event.values(), productVersion));
    }

    static ObjectNode document(Map<SiemField, String> values, String productVersion) {
        ObjectNode doc = JsonTree.object();
        String type = values.getOrDefault(SiemField.TYPE, "unknown");
        String outcome = values.get(SiemField.OUTCOME);
        OcsfClass ocsfClass = OcsfClass.of(type);
        int activity = ocsfClass.activity(type);
        doc.put("class_uid", ocsfClass.uid);
        doc.put("category_uid", ocsfClass.category);
        doc.put("activity_id", activity);
        doc.put("type_uid", (long) ocsfClass.uid * 100 + activity);
        doc.put("severity_id", Severity.ocsf(Severity.of(type, outcome)));
        doc.put("status_id", "success".equals(outcome) ? 1 : 2);
        for (Map.Entry<SiemField, String> entry : values.entrySet()) {
            SiemField field = entry.getKey();
            switch (field) {
                case TIME, SEQ -> JsonTree.put(doc, field.ocsf(), LongNode.valueOf(Long.parseLong(entry.getValue())));
                default -> JsonTree.put(doc, field.ocsf(), JsonTree.text(entry.getValue(), MAX_STRING));
            }
        }
        if (ocsfClass == OcsfClass.AUTHENTICATION && values.containsKey(SiemField.ACTOR)) {
            JsonTree.put(doc, "user.name", JsonTree.text(values.get(SiemField.ACTOR), MAX_STRING)); // required there
        }
        JsonTree.put(doc, "message", JsonTree.text(type + " " + (outcome == null ? "" : outcome), MAX_STRING));
        JsonTree.put(doc, "metadata.version", TextNode.valueOf(SCHEMA_VERSION));
        JsonTree.put(doc, "metadata.product.name", TextNode.valueOf(Cef.PRODUCT));
        JsonTree.put(doc, "metadata.product.vendor_name", TextNode.valueOf(Cef.VENDOR));
        JsonTree.put(doc, "metadata.product.version", JsonTree.text(productVersion, MAX_STRING));
        JsonTree.put(doc, "severity", TextNode.valueOf(severityName(doc.get("severity_id").intValue())));
        return doc;
    }

    private static String severityName(int id) {
        return switch (id) {
            case 1 -> "Informational";
            case 2 -> "Low";
            case 3 -> "Medium";
            case 4 -> "High";
            default -> "Unknown";
        };
    }
}
