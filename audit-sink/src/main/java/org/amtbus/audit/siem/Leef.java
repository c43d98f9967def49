package org.amtbus.audit.siem;

import java.util.Map;

/**
 * Renders an event as one IBM QRadar LEEF 2.0 line:
 * {@code LEEF:2.0|amtbus|amtbus|<version>|<type>|x09|key=value<TAB>key=value...}. Pure; thread-safe.
 *
 * <p>LEEF defines no escaping, so values are sanitized instead: the attribute delimiter is TAB, which an
 * {@code AuditEvent} can never contain (no control characters), and any TAB, CR or LF that still
 * reaches the encoder becomes a space; a {@code |} in a header field becomes {@code _} (a header has
 * no escape either). {@code =} inside a value is safe (parsers split at the first {@code =} of an
 * attribute). Invariants: one line, no CR/LF; each key at most once; values cut to
 * {@link #MAX_VALUE} characters ({@code usrName} to {@link #MAX_USER_NAME}, EventID to
 * {@link #MAX_EVENT_ID}) without splitting a surrogate pair; {@code devTime} is epoch milliseconds (13
 * digits, so no {@code devTimeFormat} is needed); every line carries the event id ({@code eventId}).
 */
public final class Leef {

    /** The attribute delimiter, declared in the header as {@code x09}. */
    public static final char DELIMITER = '\t';
    static final int MAX_EVENT_ID = 255;
    static final int MAX_USER_NAME = 255;
    static final int MAX_VALUE = 1024;
    static final int MAX_HEADER = 63;

    private Leef() {
    }

    /** One LEEF 2.0 line for {@code event}; {@code productVersion} is the emitting amtbus version. */
    public static String encode(SiemEvent event, String productVersion) {
        return encode(event.values(), productVersion);
    }

    static String encode(Map<SiemField, String> values, String productVersion) {
        String type = values.getOrDefault(SiemField.TYPE, "unknown");
        StringBuilder line = new StringBuilder(512).append("LEEF:2.0|")
                .append(header(Cef.VENDOR, MAX_HEADER)).append('|')
                .append(header(Cef.PRODUCT, MAX_HEADER)).append('|')
                .append(header(productVersion, MAX_HEADER)).append('|')
                .append(header(type, MAX_EVENT_ID)).append('|')
                .append("x09|");
        line.append("sev=").append(Math.max(1, Severity.of(type, values.get(SiemField.OUTCOME))));
        for (Map.Entry<SiemField, String> entry : values.entrySet()) {
            SiemField field = entry.getKey();
            int max = field == SiemField.ACTOR ? MAX_USER_NAME : MAX_VALUE;
            line.append(DELIMITER).append(field.leef()).append('=').append(value(entry.getValue(), max));
        }
        return line.toString();
    }

    /** A header field: {@code |}, TAB, CR and LF replaced, cut to {@code max}. */
    static String header(String value, int max) {
        return sanitize(Cef.cut(value, max), true);
    }

    /** An attribute value: TAB, CR and LF replaced by a space, cut to {@code max}. */
    static String value(String value, int max) {
        return sanitize(Cef.cut(value, max), false);
    }

    private static String sanitize(String value, boolean header) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\t' || c == '\r' || c == '\n') {
                out.append(' ');
            } else if (header && c == '|') {
                out.append('_');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
