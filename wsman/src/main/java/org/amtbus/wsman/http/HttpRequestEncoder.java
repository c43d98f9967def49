package org.amtbus.wsman.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Client side: writes a request with Content-Length framing (never chunked: AMT has refused chunked requests
 * whose last chunk was split across APF messages). Any Content-Length or Transfer-Encoding in the given
 * headers is replaced. Stateless and thread-safe.
 */
public final class HttpRequestEncoder {

    public byte[] encode(HttpRequest request) {
        byte[] body = request.body();
        HttpHeaders headers = withoutFraming(request.headers()).with("Content-Length", Integer.toString(body.length));
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 256);
        writeAscii(out, request.method() + " " + request.target() + " HTTP/1.1\r\n");
        HttpResponseEncoder.writeHeaders(out, headers);
        out.writeBytes(body);
        return out.toByteArray();
    }

    static HttpHeaders withoutFraming(HttpHeaders headers) {
        return new HttpHeaders(headers.fields().stream()
                .filter(f -> !f.name().equalsIgnoreCase("Content-Length") && !f.name().equalsIgnoreCase("Transfer-Encoding"))
                .toList());
    }

    static void writeAscii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
