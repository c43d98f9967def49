package org.amtbus.apf;

/**
 * Size limits of the APF codec. Every length read from the wire is checked against one of these
 * before a single byte is allocated or awaited, so a peer cannot make us buffer more than
 * {@link #MAX_FRAME_LENGTH} bytes for one message.
 */
public final class ApfLimits {

    /**
     * Longest {@code str} field, in bytes. MPS and MeshCentral treat a longer string as fatal, and no
     * APF string (user, service, host, request name) needs more: real ones are under 100 bytes.
     */
    public static final int MAX_STRING_LENGTH = 2048;

    /**
     * Longest CHANNEL_DATA payload. MPS and MeshCentral treat a longer one as fatal; windows are at most
     * 1 MiB (MPS's configurable maximum), so a peer that respects our window never needs more.
     */
    public static final int MAX_CHANNEL_DATA_LENGTH = 1024 * 1024;

    /**
     * Longest payload of a {@code udp-send-to@amt.intel.com} global request: the largest UDP datagram
     * over IPv4 (65,535 minus the IP and UDP headers). Nothing larger can be forwarded anyway.
     */
    public static final int MAX_UDP_DATA_LENGTH = 65_507;

    /**
     * Longest whole message: CHANNEL_DATA with its type byte, recipient channel and length. Every other
     * layout is smaller (the largest, a udp-send-to with three maximal strings, is about 71 KiB).
     */
    public static final int MAX_FRAME_LENGTH = 1 + 4 + 4 + MAX_CHANNEL_DATA_LENGTH;

    /** Largest value of an unsigned 32-bit wire field. */
    public static final long U32_MAX = 0xFFFF_FFFFL;

    private ApfLimits() {
    }
}
