package org.amtbus.audit.siem;

import java.util.Locale;
import java.util.Map;

/**
 * Renders an event as one ArcSight CEF line ({@code CEF:0|Vendor|Product|Version|SignatureID|Name|Severity|Extension},
 * no syslog prefix). Pure: no I/O, no state; thread-safe.
 *
 * <p>Invariants: the line never contains CR or LF (extension values encode them as {@code \r}/{@code \n},
 * header values replace them with a space); in header fields {@code \} and {@code |} are escaped, in
 * extension values {@code \} and {@code =}; values are cut to the dictionary's length before escaping,
 * so no escape sequence is ever split; every line carries the event id ({@code externalId}).
 */
public final class Cef {

    public static final String VENDOR = "amtbus";
    public static final String PRODUCT = "amtbus";
    static final int MAX_VENDOR = 63;
    static final int MAX_VERSION = 31;
    static final int MAX_SIGNATURE = 1023;
    static final int MAX_NAME = 512;

    private Cef() {
    }

    /** One CEF line for {@code event}; {@code productVersion} is the emitting amtbus version. */
    public static String encode(SiemEvent event, String productVersion) {
        return encode(event.values(), productVersion);
    }

    static String encode(Map<SiemField, String> values, String productVersion) {
        String type = values.getOrDefault(SiemField.TYPE, "unknown");
        StringBuilder line = new StringBuilder(512).append("CEF:0|")
                .append(header(VENDOR, MAX_VENDOR)).append('|')
                .append(header(PRODUCT, MAX_VENDOR)).append('|')
                .append(header(productVersion, MAX_VERSION)).append('|')
                .append(header(type, MAX_SIGNATURE)).append('|')
                .append(header(name(type), MAX_NAME)).append('|')
                .append(Severity.of(type, values.get(SiemField.OUTCOME))).append('|');
        boolean first = true;
        for (Map.Entry<SiemField, String> entry : values.entrySet()) {
            SiemField field = entry.getKey();
            if (!first) {
                line.append(' ');
            }
            first = false;
            line.append(field.cef()).append('=').append(extension(entry.getValue(), field.cefMaxLength()));
            if (field.cefLabel() != null) {
                line.append(' ').append(field.cef()).append("Label=").append(extension(field.cefLabel(), 1023));
            }
        }
        return line.toString();
    }

    /** A short human name without values: {@code auth.login} becomes {@code auth login}. */
    static String name(String type) {
        return type.replace('.', ' ').replace('-', ' ').toLowerCase(Locale.ROOT);
    }

    /** Escapes a header value: {@code \} and {@code |}; CR/LF are not allowed and become a space. */
    public static String header(String value, int maxLength) {
        String cut = cut(value, maxLength);
        StringBuilder out = new StringBuilder(cut.length() + 8);
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '|' -> out.append("\\|");
                case '\r', '\n' -> out.append(' ');
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Escapes an extension value: {@code \}, {@code =}, CR and LF ({@code |} is literal there); trailing
     * spaces are dropped (a parser would drop them anyway).
     */
    public static String extension(String value, int maxLength) {
        String cut = cut(value, maxLength).stripTrailing();
        StringBuilder out = new StringBuilder(cut.length() + 8);
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '=' -> out.append("\\=");
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** At most {@code max} characters, never splitting a surrogate pair. */
    static String cut(String value, int max) {
        if (value.length() <= max) {
            return value;
        }
        int end = max;
        if (Character.isHighSurrogate(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(0, end);
    }
}
