package org.amtbus.wsman.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Header fields in wire order. Names are matched case-insensitively. Invariant: names are HTTP tokens and
 * values hold no CR, LF or NUL, so an encoded message cannot be split by a header value.
 */
public record HttpHeaders(List<Field> fields) {

    /** One header field. */
    public record Field(String name, String value) {
        public Field {
            if (name == null || name.isEmpty() || !name.chars().allMatch(HttpHeaders::isTokenChar)) {
                throw new IllegalArgumentException("header name is not a token");
            }
            if (value == null || value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                throw new IllegalArgumentException("header value of " + name + " holds CR, LF or NUL");
            }
        }
    }

    public HttpHeaders {
        if (fields.size() > HttpLimits.MAX_HEADER_COUNT) {
            throw new IllegalArgumentException("more than " + HttpLimits.MAX_HEADER_COUNT + " header fields");
        }
        fields = List.copyOf(fields);
    }

    public static HttpHeaders of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must pair up");
        }
        List<Field> list = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            list.add(new Field(namesAndValues[i], namesAndValues[i + 1]));
        }
        return new HttpHeaders(list);
    }

    /** The first value of {@code name}, if present. */
    public Optional<String> first(String name) {
        return fields.stream().filter(f -> f.name().equalsIgnoreCase(name)).map(Field::value).findFirst();
    }

    public List<String> all(String name) {
        return fields.stream().filter(f -> f.name().equalsIgnoreCase(name)).map(Field::value).toList();
    }

    /** A copy without {@code name} and with {@code name: value} appended. */
    public HttpHeaders with(String name, String value) {
        List<Field> list = new ArrayList<>(fields.stream().filter(f -> !f.name().equalsIgnoreCase(name)).toList());
        list.add(new Field(name, value));
        return new HttpHeaders(list);
    }

    /** True when a {@code Connection} header carries the {@code close} option. */
    public boolean connectionClose() {
        return all("Connection").stream()
                .flatMap(v -> List.of(v.split(",")).stream())
                .anyMatch(v -> v.trim().toLowerCase(Locale.ROOT).equals("close"));
    }

    static boolean isTokenChar(int c) {
        return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }
}
