package org.amtbus.wsman.http;

import java.util.Optional;

/**
 * Client side: frames HTTP/1.1 responses from a byte stream fed in arbitrary pieces (one byte or several
 * messages at a time). Content-Length and chunked bodies; a response without either is refused unless it
 * cannot have a body. Limits are in {@link HttpLimits}. Not thread-safe: one per connection, fed from the
 * thread that reads the connection.
 */
public final class HttpResponseParser {
    private final HttpMessageDecoder decoder = new HttpMessageDecoder(true);

    /** Appends {@code data} and returns the next complete response, if there is one now. */
    public Optional<HttpResponse> feed(byte[] data) throws HttpProtocolException {
        return feed(data, 0, data.length);
    }

    public Optional<HttpResponse> feed(byte[] data, int offset, int length) throws HttpProtocolException {
        Optional<HttpMessageDecoder.Parsed> parsed = decoder.feed(data, offset, length);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        HttpMessageDecoder.Parsed p = parsed.get();
        String reason = p.startLine().length() > 13 ? p.startLine().substring(13) : "";
        return Optional.of(new HttpResponse(p.status(), reason, p.headers(), p.body()));
    }

    /** True when no partial response is pending (the stream may end here cleanly). */
    public boolean idle() {
        return decoder.idle();
    }
}
