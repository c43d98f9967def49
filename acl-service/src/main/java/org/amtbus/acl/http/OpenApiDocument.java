package org.amtbus.acl.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code GET /api/v1/openapi.yaml}: the OpenAPI 3.1 description of every route of the {@link ApiServer}
 * (admin, authorize and go-auth), served without authentication: it describes the API, holds no data.
 * Tests keep the document and the route table equal: the acl-service's own routes, and a node's full table.
 */
public final class OpenApiDocument {

    static final String PATH = "/api/v1/openapi.yaml";
    /** The document on the class path. */
    static final String RESOURCE = "/openapi.yaml";

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

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

    /**
     * The operations (method and path template) the document describes; with {@code ownOnly}, without the paths
     * another module mounts through {@link AdminRoutes} (marked {@code x-amtbus-mounted-by}).
     *
     * @throws IOException when it is not YAML
     */
    public static Set<ApiServer.Route> operations(byte[] yaml, boolean ownOnly) throws IOException {
        JsonNode doc = new YAMLMapper().readTree(yaml);
        Set<ApiServer.Route> routes = new TreeSet<>();
        doc.path("paths").properties().forEach(path -> {
            if (ownOnly && path.getValue().has("x-amtbus-mounted-by")) {
                return;
            }
            path.getValue().properties().forEach(op -> {
                if (METHODS.contains(op.getKey())) {
                    routes.add(new ApiServer.Route(op.getKey().toUpperCase(Locale.ROOT), path.getKey()));
                }
            });
        });
        return routes;
    }

    void mount(ApiServer server) {
        server.route("GET", PATH, request -> new ApiResponse(200, "application/yaml", document, Map.of()));
    }
}
