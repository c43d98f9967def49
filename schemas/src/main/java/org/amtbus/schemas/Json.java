package org.amtbus.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one Jackson configuration for amtbus payloads. Reading is strict: unknown properties fail
 * (every v1 object is closed), duplicate keys fail (two parsers must never see two different
 * values), trailing content fails, and nesting, string, number and name lengths are capped so hostile
 * input cannot exhaust the stack or memory. Instants are written as ISO-8601 UTC strings; absent
 * optional fields (null, empty maps and lists) are left out. Thread-safe.
 */
public final class Json {
    /** Deepest object/array nesting accepted; v1 payloads need 3. */
    public static final int MAX_NESTING_DEPTH = 16;
    /** Longest string value; the whole payload is smaller anyway. */
    public static final int MAX_STRING_LENGTH = 64 * 1024;
    /** Longest number literal, in characters. */
    public static final int MAX_NUMBER_LENGTH = 64;
    /** Longest property name, in characters. */
    public static final int MAX_NAME_LENGTH = 256;

    private static final ObjectMapper MAPPER = newMapper();

    private Json() {
    }

    /** A new mapper with the amtbus configuration, for callers that need their own reader or writer. */
    public static ObjectMapper newMapper() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxStringLength(MAX_STRING_LENGTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxNameLength(MAX_NAME_LENGTH)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .build();
        return JsonMapper.builder(factory)
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY,
                        JsonInclude.Include.NON_EMPTY))
                .build();
    }

    /** Serializes a payload record to UTF-8 JSON. */
    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    /** Serializes a payload record to a JSON string. */
    public static String writeString(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * Binds JSON to a record without JSON Schema validation (the record constructor still checks its
     * invariants). At trust boundaries use {@link SchemaValidator} instead: it names the failing field.
     */
    public static <T> T read(byte[] json, Class<T> type) throws IOException {
        return MAPPER.readValue(json, type);
    }

    static ObjectMapper shared() {
        return MAPPER;
    }
}
