package org.amtbus.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.amtbus.schemas.model.InvalidFieldException;

/**
 * Checks a raw payload against its v1 JSON Schema and binds it to its record. Order of checks: size
 * (before any parsing), JSON syntax and stream limits (nesting, lengths, duplicate keys), the JSON
 * Schema, then the record constructor. A refusal lists field-level errors with JSON pointers and
 * never echoes payload values. Schemas are compiled once per class load, from the classpath only;
 * instances are immutable and thread-safe, and {@link #validate} does no I/O besides reading its argument.
 */
public final class SchemaValidator {
    /** Largest payload accepted by default, in bytes. */
    public static final int DEFAULT_MAX_BYTES = 64 * 1024;
    /** Smallest limit that still admits every valid v1 payload's typical size. */
    public static final int MIN_MAX_BYTES = 1024;

    private final int maxBytes;

    /** A validator with the {@link #DEFAULT_MAX_BYTES} limit. */
    public SchemaValidator() {
        this(DEFAULT_MAX_BYTES);
    }

    /** A validator refusing payloads larger than {@code maxBytes} (at least {@link #MIN_MAX_BYTES}). */
    public SchemaValidator(int maxBytes) {
        if (maxBytes < MIN_MAX_BYTES) {
            throw new IllegalArgumentException("maxBytes must be at least " + MIN_MAX_BYTES);
        }
        this.maxBytes = maxBytes;
    }

    public int maxBytes() {
        return maxBytes;
    }

    /** Validates {@code json} as a payload of {@code type}; never throws for bad input. */
    public Validation validate(SchemaType type, byte[] json) {
        if (json == null || json.length == 0) {
            return invalid("", "payload is empty");
        }
        if (json.length > maxBytes) {
            return invalid("", "payload is " + json.length + " bytes; the limit is " + maxBytes);
        }
        ObjectMapper mapper = Json.shared();
        JsonNode node;
        try {
            node = mapper.readTree(json);
        } catch (StreamConstraintsException e) {
            return invalid("", "payload exceeds a parser limit: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            return invalid("", "malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            return invalid("", "unreadable payload: " + firstLine(e.getMessage()));
        }
        if (node == null || node.isMissingNode()) {
            return invalid("", "payload is empty");
        }
        List<FieldError> errors = schemaErrors(Schemas.COMPILED.get(type), node);
        if (!errors.isEmpty()) {
            return new Validation.Invalid(errors);
        }
        try {
            return new Validation.Valid(mapper.treeToValue(node, type.recordClass()));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return new Validation.Invalid(List.of(bindingError(e)));
        }
    }

    private static List<FieldError> schemaErrors(JsonSchema schema, JsonNode node) {
        Set<FieldError> errors = new LinkedHashSet<>();
        for (ValidationMessage message : schema.validate(node)) {
            errors.add(toFieldError(message));
        }
        List<FieldError> sorted = new ArrayList<>(errors);
        sorted.sort(Comparator.comparing(FieldError::pointer).thenComparing(FieldError::message));
        return sorted;
    }

    private static FieldError toFieldError(ValidationMessage message) {
        String pointer = pointer(message.getInstanceLocation());
        String property = message.getProperty();
        return switch (message.getType()) {
            case "required" -> new FieldError(pointer + "/" + escape(property), "is required");
            case "additionalProperties" -> new FieldError(pointer + "/" + escape(property),
                    "is not a v1 field (payloads are closed; v1 grows only optional fields)");
            case "const" -> new FieldError(pointer, "must be " + message.getSchemaNode());
            case "enum" -> new FieldError(pointer, "must be one of " + message.getSchemaNode());
            case "pattern" -> new FieldError(pointer, "must match " + message.getSchemaNode().asText());
            case "format" -> new FieldError(pointer, "must be a valid RFC 3339 " + message.getSchemaNode().asText());
            default -> new FieldError(pointer, message.getError());
        };
    }

    private static FieldError bindingError(Exception e) {
        StringBuilder pointer = new StringBuilder();
        if (e instanceof JsonMappingException mapping) {
            for (JsonMappingException.Reference ref : mapping.getPath()) {
                pointer.append('/').append(ref.getFieldName() != null ? escape(ref.getFieldName()) : ref.getIndex());
            }
        }
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof InvalidFieldException field) {
            // constructor errors name their field relative to the record being built
            String path = pointer.toString();
            String relative = "/" + field.field();
            return new FieldError(path.endsWith(relative) ? path : path + relative, field.reason());
        }
        if (cause instanceof IllegalArgumentException) {
            return new FieldError(pointer.toString(), firstLine(cause.getMessage()));
        }
        return new FieldError(pointer.toString(), "cannot be read as its v1 type");
    }

    private static String pointer(JsonNodePath path) {
        String s = path.toString();
        return s.equals("/") || s.equals("$") ? "" : s;
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private static Validation invalid(String pointer, String message) {
        return new Validation.Invalid(List.of(new FieldError(pointer, message)));
    }

    /** Compiled schemas, loaded once from the classpath; a broken schema file fails class loading. */
    static final class Schemas {
        static final Map<SchemaType, JsonSchema> COMPILED = compileAll();

        private static Map<SchemaType, JsonSchema> compileAll() {
            JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                    builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(SchemaType.ID_BASE,
                            "classpath:" + SchemaType.RESOURCE_DIR)));
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                    .pathType(PathType.JSON_POINTER)
                    .formatAssertionsEnabled(true)
                    .regularExpressionFactory(StrictRegexFactory.INSTANCE)
                    .locale(Locale.ENGLISH)
                    .build();
            Map<SchemaType, JsonSchema> compiled = new EnumMap<>(SchemaType.class);
            for (SchemaType type : SchemaType.values()) {
                JsonSchema schema = factory.getSchema(SchemaLocation.of(type.uri().toString()), config);
                schema.initializeValidators(); // resolve every $ref now, so validation is read-only
                compiled.put(type, schema);
            }
            return compiled;
        }
    }
}
