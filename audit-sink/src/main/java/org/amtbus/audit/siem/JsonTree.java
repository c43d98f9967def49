package org.amtbus.audit.siem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import org.amtbus.schemas.Json;

/**
 * The small JSON toolkit the JSON encoders share: dotted paths from {@link SiemField} become nested
 * objects, strings are cut to a format's limit before Jackson escapes them (so escaping is always
 * whole), and documents are written as compact UTF-8 on one line (Jackson escapes every control
 * character, so a value can never break a line). Thread-safe.
 */
final class JsonTree {

    static final ObjectMapper MAPPER = Json.newMapper();

    private JsonTree() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Sets {@code a.b.c} in {@code root}, creating {@code a} and {@code a.b} as objects. */
    static void put(ObjectNode root, String dottedPath, JsonNode value) {
        ObjectNode node = root;
        // "@timestamp" and other undotted names are top-level keys
        String[] parts = dottedPath.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            node = child instanceof ObjectNode object ? object : node.putObject(parts[i]);
        }
        node.set(parts[parts.length - 1], value);
    }

    static TextNode text(String value, int max) {
        return TextNode.valueOf(Cef.cut(value, max));
    }

    /** Compact UTF-8 JSON, one line, no trailing newline. */
    static byte[] bytes(JsonNode document) {
        try {
            return MAPPER.writeValueAsString(document).getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree that cannot be written: " + e.getOriginalMessage(), e);
        }
    }
}
