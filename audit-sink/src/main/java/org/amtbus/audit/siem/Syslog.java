package org.amtbus.audit.siem;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;

/**
 * Renders an event as an RFC 5424 syslog message with an {@code audit@<PEN>} STRUCTURED-DATA element
 * and frames it for RFC 5425 (TLS) transport with octet counting. Pure: no I/O, no state; thread-safe.
 *
 * <p>Invariants: header fields are PRINTUSASCII within their RFC lengths (other characters become
 * {@code _}, empty becomes {@code -}); SD PARAM-VALUEs escape {@code "}, {@code \} and {@code ]}
 * and are cut before escaping; the message ends with the MSG part ({@code BOM} + UTF-8 text) and never
 * contains CR or LF, so a non-transparent receiver cannot be tricked into splitting it; a frame never
 * exceeds {@link #MAX_FRAME_BYTES}: the free-text MSG is cut first, at a UTF-8 character boundary; every
 * message carries the event id.
 */
public final class Syslog {

    /** RFC 5612's documentation PEN; the product needs its own IANA Private Enterprise Number. */
    public static final int DOCUMENTATION_PEN = 32473;
    /** Receivers SHOULD accept 8192-octet messages over TLS (RFC 5425); staying below it is safe everywhere. */
    public static final int MAX_FRAME_BYTES = 8192;
    /** Facility 13 (log audit). */
    public static final int FACILITY_LOG_AUDIT = 13;
    static final int MAX_HOSTNAME = 255;
    static final int MAX_APP_NAME = 48;
    static final int MAX_PROCID = 128;
    static final int MAX_MSGID = 32;
    static final int MAX_SD_VALUE = 1024;
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /**
     * Who sends: host name, app name and PEN of the SD-ID.
     */
    public record Origin(String hostname, String appName, int enterpriseNumber) {
        public Origin {
            Objects.requireNonNull(hostname, "hostname");
            Objects.requireNonNull(appName, "appName");
            if (enterpriseNumber < 1) {
                throw new IllegalArgumentException("enterpriseNumber must be a positive IANA PEN");
            }
        }
    }

    private Syslog() {
    }

    /** The RFC 5424 message (no framing) as a string. */
    public static String message(SiemEvent event, Origin origin) {
        return new String(messageBytes(event, origin, MAX_FRAME_BYTES - 6), StandardCharsets.UTF_8);
    }

    /** One RFC 5425 frame: {@code MSG-LEN SP SYSLOG-MSG}, MSG-LEN counting octets. At most {@link #MAX_FRAME_BYTES}. */
    public static byte[] frame(SiemEvent event, Origin origin) {
        // the length prefix takes at most 4 digits + SP for a frame within 8192 bytes
        byte[] message = messageBytes(event, origin, MAX_FRAME_BYTES - 5);
        byte[] prefix = (message.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[prefix.length + message.length];
        System.arraycopy(prefix, 0, frame, 0, prefix.length);
        System.arraycopy(message, 0, frame, prefix.length, message.length);
        return frame;
    }

    /**
     * One RFC 5425 frame carrying {@code text} (e.g. a CEF line) as MSG-ANY: no STRUCTURED-DATA
     * ({@code -}) and no BOM, since parsers anchor on {@code ^CEF:}. The text is cut at a UTF-8 boundary
     * to keep the frame within {@link #MAX_FRAME_BYTES}.
     */
    public static byte[] frameText(SiemEvent event, Origin origin, String text) {
        String head = '<' + Integer.toString(FACILITY_LOG_AUDIT * 8 + severity(event)) + ">1 "
                + TIMESTAMP.format(event.event().time().truncatedTo(ChronoUnit.MILLIS)) + ' '
                + headerField(origin.hostname(), MAX_HOSTNAME) + ' ' + headerField(origin.appName(), MAX_APP_NAME) + ' '
                + headerField(event.stream().value(), MAX_PROCID) + ' ' + headerField(msgId(event.event().type()), MAX_MSGID)
                + " - ";
        byte[] headBytes = head.getBytes(StandardCharsets.UTF_8);
        byte[] body = text.replace('\r', ' ').replace('\n', ' ').getBytes(StandardCharsets.UTF_8);
        int bodyLength = utf8Prefix(body, Math.max(0, MAX_FRAME_BYTES - 5 - headBytes.length));
        int length = headBytes.length + bodyLength;
        byte[] prefix = (length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[prefix.length + length];
        System.arraycopy(prefix, 0, frame, 0, prefix.length);
        System.arraycopy(headBytes, 0, frame, prefix.length, headBytes.length);
        System.arraycopy(body, 0, frame, prefix.length + headBytes.length, bodyLength);
        return frame;
    }

    private static byte[] messageBytes(SiemEvent event, Origin origin, int budget) {
        int pri = FACILITY_LOG_AUDIT * 8 + severity(event);
        StringBuilder head = new StringBuilder(256)
                .append('<').append(pri).append(">1 ")
                .append(TIMESTAMP.format(event.event().time().truncatedTo(ChronoUnit.MILLIS))).append(' ')
                .append(headerField(origin.hostname(), MAX_HOSTNAME)).append(' ')
                .append(headerField(origin.appName(), MAX_APP_NAME)).append(' ')
                .append(headerField(event.stream().value(), MAX_PROCID)).append(' ')
                .append(headerField(msgId(event.event().type()), MAX_MSGID)).append(' ')
                .append('[').append("audit@").append(origin.enterpriseNumber());
        for (SiemField field : SiemField.values()) {
            String value = event.value(field);
            if (value != null) {
                head.append(' ').append(field.sdParam()).append("=\"").append(paramValue(value, MAX_SD_VALUE)).append('"');
            }
        }
        head.append("] ");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] text = freeText(event).getBytes(StandardCharsets.UTF_8);
        int room = Math.max(0, budget - headBytes.length - BOM.length);
        int textLength = utf8Prefix(text, room);
        byte[] message = new byte[headBytes.length + BOM.length + textLength];
        System.arraycopy(headBytes, 0, message, 0, headBytes.length);
        System.arraycopy(BOM, 0, message, headBytes.length, BOM.length);
        System.arraycopy(text, 0, message, headBytes.length + BOM.length, textLength);
        return message;
    }

    /** 0-7 (syslog severities): denials warning, failures notice, the rest informational. */
    static int severity(SiemEvent event) {
        return switch (event.event().outcome()) {
            case DENIED -> 4;
            case FAILURE, ERROR -> 5;
            case SUCCESS -> 6;
        };
    }

    /** {@code auth.login} becomes {@code AUTH_LOGIN}. */
    static String msgId(String type) {
        return type.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String freeText(SiemEvent event) {
        String reason = event.event().reason();
        String text = event.event().type() + " " + event.event().outcome().wireName() + " by "
                + event.event().actor().name() + (reason == null ? "" : ": " + reason);
        return text.replace('\r', ' ').replace('\n', ' ');
    }

    /** PRINTUSASCII (33-126) only, {@code -} when empty, at most {@code max} characters. */
    public static String headerField(String value, int max) {
        if (value == null || value.isEmpty()) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), max));
        for (int i = 0; i < value.length() && out.length() < max; i++) {
            char c = value.charAt(i);
            out.append(c >= 33 && c <= 126 ? c : '_');
        }
        return out.toString();
    }

    /** An SD PARAM-VALUE: cut to {@code max} characters, then {@code "}, {@code \} and {@code ]} escaped; CR/LF become a space. */
    public static String paramValue(String value, int max) {
        String cut = Cef.cut(value, max);
        StringBuilder out = new StringBuilder(cut.length() + 8);
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            switch (c) {
                case '"', '\\', ']' -> out.append('\\').append(c);
                case '\r', '\n' -> out.append(' ');
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** The longest prefix of {@code utf8} within {@code max} bytes that ends on a character boundary. */
    static int utf8Prefix(byte[] utf8, int max) {
        if (utf8.length <= max) {
            return utf8.length;
        }
        int end = max;
        while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
            end--; // utf8[end] is a continuation byte: the character starting before it would be cut
        }
        return end;
    }
}
