package org.amtbus.acl.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * {@code GET /api/v1/openapi.yaml}: the OpenAPI 3.1 description of every route of the {@link ApiServer}
 * (admin, authorize and go-auth), served without authentication: it describes the API, holds no data.
 * A test keeps the document and the route table equal.
 */
final class OpenApiDocument {

    static final String PATH = "/api/v1/openapi.yaml";
    /** The document on the class path. */
    static final String RESOURCE = "/openapi.yaml";

    private final byte[] document;

    OpenApiDocument() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is missing from the class path");
            }
            document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void mount(ApiServer server) {
        server.route("GET", PATH, request -> new ApiResponse(200, "application/yaml", document, Map.of()));
    }
}
