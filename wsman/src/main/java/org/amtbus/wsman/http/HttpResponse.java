package org.amtbus.wsman.http;

import java.util.Arrays;

/** A complete HTTP/1.1 response. The body is copied in and out, so instances are immutable. */
public record HttpResponse(int status, String reason, HttpHeaders headers, byte[] body) {
    public HttpResponse {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must have three digits");
        }
        if (reason == null || reason.chars().anyMatch(c -> c < 32 && c != '\t' || c == 127)) {
            throw new IllegalArgumentException("reason phrase holds control characters");
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
        return o instanceof HttpResponse r && status == r.status && reason.equals(r.reason)
                && headers.equals(r.headers) && Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
        return (status * 31 + reason.hashCode()) * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "HttpResponse[" + status + " " + reason + ", " + body.length + " body bytes]";
    }
}
