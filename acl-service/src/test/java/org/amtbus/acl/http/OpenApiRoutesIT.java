package org.amtbus.acl.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAPI document and the server's route table describe the same API, both ways. */
class OpenApiRoutesIT {

    private static ApiFixture api;

    @BeforeAll
    static void start() {
        api = new ApiFixture();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void everyServedRouteIsDocumentedAndEveryDocumentedRouteIsServed() throws Exception {
        // given the document as the server serves it
        HttpResponse<String> served = api.send("GET", "/api/v1/openapi.yaml", null, null);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type")).hasValue("application/yaml");

        // then its operations are exactly the route table
        assertThat(new YAMLMapper().readTree(served.body()).get("openapi").asText()).startsWith("3.1");
        Set<ApiServer.Route> documented = OpenApiDocument.operations(served.body().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                true);
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
