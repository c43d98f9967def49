package org.amtbus.schemas.model;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Constructor checks shared by the payload records. They mirror the JSON Schema files and use
 * whole-input matching, so a value with a trailing newline is refused even where a JSON Schema
 * engine with Java's {@code $} semantics would let it through.
 */
final class Checks {
    /** Keys of the small scalar maps ({@code params}, {@code output}, {@code data}, {@code details}). */
    static final Pattern MAP_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");
    static final int REASON_MAX = 512;

    private static final Instant MIN_TIME = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private Checks() {
    }

    /**
     * No C0 control character and no DEL: what {@code [^\x00-\x1F\x7F]*} matches, as a plain loop (every audit
     * event's strings pass here, and the regex engine costs several calls per character).
     */
    static boolean noControl(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return false;
            }
        }
        return true;
    }

    static <T> T required(String field, T value) {
        if (value == null) {
            throw new InvalidFieldException(field, "is required");
        }
        return value;
    }

    static void schema(String expected, String actual) {
        if (!expected.equals(actual)) {
            throw new InvalidFieldException("schema", "must be \"" + expected + "\"");
        }
    }

    static String matches(String field, String value, Pattern pattern, int maxLength, String what) {
        required(field, value);
        if (value.length() > maxLength || !pattern.matcher(value).matches()) {
            throw new InvalidFieldException(field, "must be " + what);
        }
        return value;
    }

    static String optionalMatches(String field, String value, Pattern pattern, int maxLength, String what) {
        return value == null ? null : matches(field, value, pattern, maxLength, what);
    }

    /** Free text: 1..max characters, no control characters (they would break SIEM line formats). */
    static String text(String field, String value, int max) {
        required(field, value);
        if (value.isEmpty() || value.length() > max || !noControl(value)) {
            throw new InvalidFieldException(field,
                    "must be 1 to " + max + " characters without control characters");
        }
        return value;
    }

    static String optionalText(String field, String value, int max) {
        return value == null ? null : text(field, value, max);
    }

    static Instant time(String field, Instant value) {
        required(field, value);
        if (value.isBefore(MIN_TIME) || value.isAfter(MAX_TIME)) {
            throw new InvalidFieldException(field, "must be between years 0000 and 9999");
        }
        return value;
    }

    static int range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidFieldException(field, "must be between " + min + " and " + max);
        }
        return value;
    }

    /**
     * A bounded map of scalar values (string, number, boolean); returns an unmodifiable copy in
     * insertion order, empty for {@code null}.
     */
    static Map<String, Object> scalars(String field, Map<String, ?> map, int maxEntries, int maxValueLength) {
        Map<String, Object> copy = boundedCopy(field, map, maxEntries);
        copy.forEach((key, value) -> {
            boolean ok = switch (value) {
                case String s -> s.length() <= maxValueLength && noControl(s);
                case Number n -> true;
                case Boolean b -> true;
                default -> false;
            };
            if (!ok) {
                throw new InvalidFieldException(field + "/" + key,
                        "must be a number, a boolean or a string of at most " + maxValueLength
                                + " characters without control characters");
            }
        });
        return Collections.unmodifiableMap(copy);
    }

    /** A bounded map of string values; returns an unmodifiable copy in insertion order. */
    static Map<String, String> strings(String field, Map<String, String> map, int maxEntries, int maxValueLength) {
        Map<String, Object> copy = boundedCopy(field, map, maxEntries);
        Map<String, String> result = new LinkedHashMap<>();
        copy.forEach((key, value) -> {
            if (!(value instanceof String s) || s.length() > maxValueLength || !noControl(s)) {
                throw new InvalidFieldException(field + "/" + key,
                        "must be a string of at most " + maxValueLength + " characters without control characters");
            }
            result.put(key, s);
        });
        return Collections.unmodifiableMap(result);
    }

    static <T> List<T> list(String field, List<T> list, int maxItems) {
        if (list == null) {
            return List.of();
        }
        if (list.size() > maxItems) {
            throw new InvalidFieldException(field, "must have at most " + maxItems + " items");
        }
        for (T item : list) {
            required(field, item);
        }
        if (list.stream().distinct().count() != list.size()) {
            throw new InvalidFieldException(field, "must not repeat items");
        }
        return List.copyOf(list);
    }

    private static Map<String, Object> boundedCopy(String field, Map<String, ?> map, int maxEntries) {
        Map<String, Object> copy = new LinkedHashMap<>();
        if (map == null) {
            return copy;
        }
        if (map.size() > maxEntries) {
            throw new InvalidFieldException(field, "must have at most " + maxEntries + " entries");
        }
        map.forEach((key, value) -> {
            if (key == null || !MAP_KEY.matcher(key).matches()) {
                throw new InvalidFieldException(field, "keys must match " + MAP_KEY.pattern());
            }
            copy.put(key, required(field + "/" + key, value));
        });
        return copy;
    }
}
