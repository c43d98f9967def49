package org.amtbus.acl.http;

import java.util.Map;

/**
 * A refused request, answered as RFC 9457 problem details ({@code application/problem+json}). The
 * detail is written for the client: it names the field or rule, never a submitted value, a password
 * or a token. Thrown by handlers; {@link ApiServer} renders it.
 */
public final class ApiProblem extends RuntimeException {

    private final int status;
    private final String type;
    private final transient Map<String, String> headers;

    public ApiProblem(int status, String detail) {
        this(status, "about:blank", detail, Map.of());
    }

    public ApiProblem(int status, String type, String detail, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.headers = Map.copyOf(headers);
    }

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(400, detail);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
