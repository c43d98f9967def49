package org.amtbus.acl.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAPI document and the server's route table describe the same API, both ways. */
class OpenApiRoutesIT {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static ApiFixture api;

    @BeforeAll
    static void start() {
        api = new ApiFixture();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    /**
     * The operations of the document; with {@code ownOnly}, without the paths another module mounts through
     * {@link AdminRoutes} ({@code x-amtbus-mounted-by}), which the node's own route check covers.
     */
    static Set<ApiServer.Route> documented(String yaml, boolean ownOnly) throws Exception {
        JsonNode doc = new YAMLMapper().readTree(yaml);
        assertThat(doc.get("openapi").asText()).startsWith("3.1");
        Set<ApiServer.Route> routes = new TreeSet<>();
        doc.get("paths").properties().forEach(path -> {
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

    @Test
    void everyServedRouteIsDocumentedAndEveryDocumentedRouteIsServed() throws Exception {
        // given the document as the server serves it
        HttpResponse<String> served = api.send("GET", "/api/v1/openapi.yaml", null, null);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type")).hasValue("application/yaml");

        // then its operations are exactly the route table
        Set<ApiServer.Route> documented = documented(served.body(), true);
        assertThat(documented).containsExactlyInAnyOrderElementsOf(api.server.routes());

        // and each one reaches a handler over the wire (never the unknown-path answer)
        for (ApiServer.Route route : documented) {
            String path = route.template().replace("{name}", "someone").replace("{guid}", "4c4c4544-004b-4210-8033-b6c04f504633");
            HttpResponse<String> r = api.send(route.method(), path, null, route.method().equals("GET") ? null : "{}");
            boolean problem = r.headers().firstValue("Content-Type").orElse("").equals("application/problem+json");
            assertThat(problem && r.body().contains(ApiServer.NO_ROUTE)).as(route.toString()).isFalse();
            assertThat(r.statusCode()).as(route.toString()).isNotEqualTo(405);
        }
    }
}
