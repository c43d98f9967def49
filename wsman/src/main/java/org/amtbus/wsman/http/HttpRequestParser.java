package org.amtbus.wsman.http;

import java.util.Optional;

/**
 * Server side: frames HTTP/1.1 requests from a byte stream fed in arbitrary pieces. A request without
 * Content-Length or chunked framing has an empty body. Limits are in {@link HttpLimits}. Not thread-safe:
 * one per connection.
 */
public final class HttpRequestParser {
    private final HttpMessageDecoder decoder = new HttpMessageDecoder(false);

    /** Appends {@code data} and returns the next complete request, if there is one now. */
    public Optional<HttpRequest> feed(byte[] data) throws HttpProtocolException {
        return feed(data, 0, data.length);
    }

    public Optional<HttpRequest> feed(byte[] data, int offset, int length) throws HttpProtocolException {
        Optional<HttpMessageDecoder.Parsed> parsed = decoder.feed(data, offset, length);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        HttpMessageDecoder.Parsed p = parsed.get();
        String[] parts = p.startLine().split(" ", 3);
        try {
            return Optional.of(new HttpRequest(parts[0], parts[1], p.headers(), p.body()));
        } catch (IllegalArgumentException e) {
            throw new HttpProtocolException("malformed request line");
        }
    }

    public boolean idle() {
        return decoder.idle();
    }
}
