package org.amtbus.wsman.http;

import java.util.Arrays;

/** A complete HTTP/1.1 request. The body is copied in and out, so instances are immutable. */
public record HttpRequest(String method, String target, HttpHeaders headers, byte[] body) {
    public HttpRequest {
        if (method == null || method.isEmpty() || !method.chars().allMatch(HttpHeaders::isTokenChar)) {
            throw new IllegalArgumentException("method is not a token");
        }
        if (target == null || target.isEmpty() || !target.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new IllegalArgumentException("request target must be visible ASCII");
        }
        if (headers == null) {
            throw new IllegalArgumentException("headers are required");
        }
        body = body == null ? new byte[0] : body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpRequest r && method.equals(r.method) && target.equals(r.target)
                && headers.equals(r.headers) && Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
        return (method.hashCode() * 31 + target.hashCode()) * 31 + Arrays.hashCode(body);
    }

    /** Never prints header values (Authorization) or the body. */
    @Override
    public String toString() {
        return "HttpRequest[" + method + " " + target + ", " + body.length + " body bytes]";
    }
}
