package org.amtbus.acl.http;

import com.sun.net.httpserver.Headers;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTPS request as a handler sees it: the route's path parameters (decoded), the query (decoded),
 * the headers, the body (already bounded by {@link ApiServer#MAX_BODY_BYTES}) and the peer address.
 */
public record ApiRequest(String method, String path, Map<String, String> pathParameters, Map<String, List<String>> query,
                         Headers headers, byte[] body, InetAddress source) {

    public ApiRequest {
        Objects.requireNonNull(method);
        Objects.requireNonNull(path);
        pathParameters = Map.copyOf(pathParameters);
        query = Map.copyOf(query);
        Objects.requireNonNull(headers);
        Objects.requireNonNull(body);
        Objects.requireNonNull(source);
    }

    public String pathParameter(String name) {
        return Objects.requireNonNull(pathParameters.get(name), name);
    }

    /** A query parameter given at most once; 400 when it is repeated. */
    public Optional<String> queryParameter(String name) {
        List<String> values = query.getOrDefault(name, List.of());
        if (values.size() > 1) {
            throw ApiProblem.badRequest("query parameter '" + name + "' is given more than once");
        }
        return values.stream().findFirst();
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.getFirst(name));
    }

    /** The peer address as text, for audit events. */
    public String sourceText() {
        return source.getHostAddress();
    }
}
