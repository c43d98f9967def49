package org.amtbus.acl.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.amtbus.schemas.Json;

/**
 * Turns request bodies into values, strictly: JSON binds to a closed record (unknown fields, duplicate
 * keys, wrong types and trailing content are refused) and form bodies to a map of known fields.
 *
 * <p>Invariant: an error message names the field and the rule, never the submitted value, because
 * the value may be a password. Stateless and thread-safe.
 */
final class RequestBodies {

    private static final ObjectMapper JSON = Json.newMapper();

    private RequestBodies() {
    }

    /** Binds a JSON body to {@code type}; 415 for another content type, 400 with a clear reason for bad JSON. */
    static <T> T json(ApiRequest request, Class<T> type) {
        if (!isJson(request)) {
            throw new ApiProblem(415, "send the body as application/json");
        }
        if (request.body().length == 0) {
            throw ApiProblem.badRequest("the body is empty; a JSON object is expected");
        }
        try {
            T value = JSON.readValue(request.body(), type);
            if (value == null) {
                throw ApiProblem.badRequest("the body must be a JSON object");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw ApiProblem.badRequest("unknown field '" + clip(e.getPropertyName()) + "'; known fields: "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")));
        } catch (MismatchedInputException e) {
            String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            throw ApiProblem.badRequest(field.isEmpty() ? "the body must be a JSON object"
                    : "field '" + clip(field) + "' has the wrong type");
        } catch (JsonProcessingException e) {
            throw ApiProblem.badRequest("the body is not valid JSON (or repeats a field)");
        } catch (IOException e) {
            throw ApiProblem.badRequest("the body could not be read");
        }
    }

    /**
     * A flat body of string fields, form-encoded or a JSON object; 400 for anything else. Only
     * {@code known} fields are accepted when {@code strict}; go-auth's extra fields are ignored otherwise.
     */
    static Map<String, String> fields(ApiRequest request, Set<String> known, boolean strict) {
        Map<String, String> fields = new HashMap<>();
        if (isJson(request)) {
            JsonNode node;
            try {
                node = JSON.readTree(request.body());
            } catch (IOException e) {
                throw ApiProblem.badRequest("the body is not valid JSON (or repeats a field)");
            }
            if (node == null || !node.isObject()) {
                throw ApiProblem.badRequest("the body must be a JSON object");
            }
            for (var it = node.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    throw ApiProblem.badRequest("field '" + clip(e.getKey()) + "' must be a string");
                }
                fields.put(e.getKey(), e.getValue().asText());
            }
        } else {
            String body = new String(request.body(), StandardCharsets.UTF_8);
            for (String pair : body.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                try {
                    String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    if (fields.put(key, value) != null) {
                        throw ApiProblem.badRequest("field '" + clip(key) + "' is given more than once");
                    }
                } catch (IllegalArgumentException e) {
                    throw ApiProblem.badRequest("the form body has an invalid %-escape");
                }
            }
        }
        if (strict) {
            for (String key : fields.keySet()) {
                if (!known.contains(key)) {
                    throw ApiProblem.badRequest("unknown field '" + clip(key) + "'; known fields: "
                            + known.stream().sorted().collect(Collectors.joining(", ")));
                }
            }
        }
        return fields;
    }

    private static boolean isJson(ApiRequest request) {
        return request.header("Content-Type").map(t -> t.toLowerCase(Locale.ROOT).startsWith("application/json")).orElse(false);
    }

    /** Field names come from the client: keep them short and printable in messages. */
    private static String clip(String name) {
        String printable = name == null ? "" : name.codePoints().filter(c -> c >= 0x20 && c < 0x7f)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() > 64 ? printable.substring(0, 64) + "..." : printable;
    }
}
