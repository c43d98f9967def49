package org.amtbus.acl.http;

import java.util.Map;
import java.util.Objects;

/**
 * What a handler answers: a status, and optionally a body with its content type and extra headers.
 *
 * @param body empty for a status-only answer
 */
public record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers) {

    public ApiResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status " + status);
        }
        Objects.requireNonNull(body);
        headers = Map.copyOf(headers);
    }

    /** A status without a body (go-auth reads only the status). */
    public static ApiResponse status(int status) {
        return new ApiResponse(status, null, new byte[0], Map.of());
    }

    public static ApiResponse json(int status, byte[] json) {
        return new ApiResponse(status, "application/json", json, Map.of());
    }
}
