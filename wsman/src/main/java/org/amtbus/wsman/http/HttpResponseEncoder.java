package org.amtbus.wsman.http;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * Server side: writes a response either with Content-Length or, as AMT does for SOAP answers, chunked with
 * four-digit uppercase hex chunk sizes. Framing headers in the given response are replaced. Stateless and
 * thread-safe.
 */
public final class HttpResponseEncoder {
    /** AMT's chunks are a few hundred bytes; 4 hex digits hold at most 0xFFFF. */
    public static final int MAX_CHUNK = 0xFFFF;

    public byte[] encode(HttpResponse response) {
        byte[] body = response.body();
        HttpHeaders headers = HttpRequestEncoder.withoutFraming(response.headers())
                .with("Content-Length", Integer.toString(body.length));
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 256);
        writeStatus(out, response);
        writeHeaders(out, headers);
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** Chunked encoding with chunks of at most {@code chunkSize} bytes, ending with {@code 0\r\n\r\n}. */
    public byte[] encodeChunked(HttpResponse response, int chunkSize) {
        if (chunkSize < 1 || chunkSize > MAX_CHUNK) {
            throw new IllegalArgumentException("chunk size must be 1.." + MAX_CHUNK);
        }
        byte[] body = response.body();
        HttpHeaders headers = HttpRequestEncoder.withoutFraming(response.headers()).with("Transfer-Encoding", "chunked");
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 512);
        writeStatus(out, response);
        writeHeaders(out, headers);
        for (int off = 0; off < body.length; off += chunkSize) {
            int n = Math.min(chunkSize, body.length - off);
            HttpRequestEncoder.writeAscii(out, String.format(Locale.ROOT, "%04X\r\n", n));
            out.write(body, off, n);
            HttpRequestEncoder.writeAscii(out, "\r\n");
        }
        HttpRequestEncoder.writeAscii(out, "0\r\n\r\n");
        return out.toByteArray();
    }

    private static void writeStatus(ByteArrayOutputStream out, HttpResponse response) {
        HttpRequestEncoder.writeAscii(out, "HTTP/1.1 " + response.status() + " " + response.reason() + "\r\n");
    }

    static void writeHeaders(ByteArrayOutputStream out, HttpHeaders headers) {
        for (HttpHeaders.Field f : headers.fields()) {
            HttpRequestEncoder.writeAscii(out, f.name() + ": " + f.value() + "\r\n");
        }
        HttpRequestEncoder.writeAscii(out, "\r\n");
    }
}
