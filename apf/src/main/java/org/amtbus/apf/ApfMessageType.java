package org.amtbus.apf;

/**
 * The APF message types and their type bytes (SSH connection-layer numbers plus Intel's 0xC0-0xD3).
 * Any other type byte is fatal: a parser cannot find the end of a message it does not know.
 */
public enum ApfMessageType {
    DISCONNECT(1),
    SERVICE_REQUEST(5),
    SERVICE_ACCEPT(6),
    USERAUTH_REQUEST(50),
    USERAUTH_FAILURE(51),
    USERAUTH_SUCCESS(52),
    GLOBAL_REQUEST(80),
    REQUEST_SUCCESS(81),
    REQUEST_FAILURE(82),
    CHANNEL_OPEN(90),
    CHANNEL_OPEN_CONFIRMATION(91),
    CHANNEL_OPEN_FAILURE(92),
    CHANNEL_WINDOW_ADJUST(93),
    CHANNEL_DATA(94),
    CHANNEL_CLOSE(97),
    PROTOCOL_VERSION(192),
    KEEPALIVE_REQUEST(208),
    KEEPALIVE_REPLY(209),
    KEEPALIVE_OPTIONS_REQUEST(210),
    KEEPALIVE_OPTIONS_REPLY(211);

    private static final ApfMessageType[] BY_CODE = new ApfMessageType[256];

    static {
        for (ApfMessageType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    ApfMessageType(int code) {
        this.code = code;
    }

    /** The type byte, 0-255. */
    public int code() {
        return code;
    }

    /** The type with this byte, or {@code null} if APF has none. */
    public static ApfMessageType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
