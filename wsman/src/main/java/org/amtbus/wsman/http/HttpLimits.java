package org.amtbus.wsman.http;

/**
 * Hard limits of the HTTP framing. AMT responses are small (the largest captured SOAP answers are a few
 * tens of KiB; certificate stores and logs stay well under 1 MiB), so anything beyond these is hostile or
 * broken and is refused rather than buffered.
 */
public final class HttpLimits {
    /** Start line plus all header lines including CRLFs, and again for trailers. */
    public static final int MAX_HEADER_BYTES = 16 * 1024;
    /** Header fields per message (AMT sends about 7). */
    public static final int MAX_HEADER_COUNT = 64;
    /** Decoded body bytes, fixed-length or chunked. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    /** One chunk-size line including extensions, without CRLF. */
    public static final int MAX_CHUNK_LINE_BYTES = 256;
    /** Hex digits of a chunk size; 8 digits already exceed {@link #MAX_BODY_BYTES}. */
    public static final int MAX_CHUNK_SIZE_DIGITS = 8;

    private HttpLimits() {
    }
}
