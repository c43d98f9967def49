package org.amtbus.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.amtbus.acl.http.ApiServer;
import org.amtbus.acl.http.OpenApiDocument;
import org.amtbus.platform.tls.TlsContexts;
import org.amtbus.schemas.Json;
import org.amtbus.sim.amt.ProvisioningPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Profiles, domains and provisioning requests managed on a running node, as an operator does it: the
 * {@code amtbus profile|domain|provision} commands and the admin API over TLS 1.3. The .pfx password is
 * never printed, returned or audited; every change is audited; the node's route table is its OpenAPI document.
 */
class ProvisioningAdminIT {

    @RegisterExtension
    static final OperatorNode ops = new OperatorNode();

    private static final String PFX_PASSWORD = "Pfx-Pa55word-of-acme!";
    private static final String SUFFIX = "corp.acme.example";
    private static ProvisioningPki pki;
    private static Path pfxFile;
    private static HttpClient client;

    @BeforeAll
    static void setUp() throws Exception {
        pki = new ProvisioningPki("amt-prov." + SUFFIX);
        pfxFile = ops.dataDir.resolve("acme.pfx");
        Files.write(pfxFile, pki.pfx(PFX_PASSWORD.toCharArray()));
        SSLContext tls = SSLContext.getInstance("TLSv1.3");
        tls.init(null, TlsContexts.trustManagerFactory(ops.node.caCertificate()).getTrustManagers(), null);
        SSLParameters params = new SSLParameters();
        params.setProtocols(new String[] {"TLSv1.3"});
        client = HttpClient.newBuilder().sslContext(tls).sslParameters(params).build();
    }

    private static OperatorNode.Run amtbus(String stdin, String... args) {
        return ops.amtbus(stdin, args);
    }

    private static String token(String account, String password) {
        OperatorNode.Run issued = amtbus(password + "\n", "token", account);
        assertThat(issued.code()).as(issued.err()).isZero();
        return issued.out().strip();
    }

    private static HttpResponse<String> api(String method, String path, String token, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(ops.node.node.endpoints().apiUrl() + path.substring("/api/v1/".length())))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.read(r.body().getBytes(StandardCharsets.UTF_8), JsonNode.class);
    }

    @Test
    void anOperatorAddsListsShowsReplacesAndDeletesAProfile() {
        OperatorNode.Run added = amtbus("", "profile", "add", "branch", "--tenant", "acme", "--control-mode", "acm",
                "--mps-address", "cira.acme.example", "--user-consent", "kvm", "--network", "static", "--address", "10.1.2.3/24",
                "--gateway", "10.1.2.1", "--dns", "10.1.2.53", "--tag", "floor:2");
        assertThat(added.code()).as(added.err()).isZero();
        assertThat(added.out()).contains("created profile branch of tenant acme");

        assertThat(amtbus("", "profile", "list", "--tenant", "acme").out()).contains("branch").contains("cira.acme.example:4433")
                .contains("kvm").contains("static");
        OperatorNode.Run shown = amtbus("", "profile", "show", "branch", "--tenant", "acme");
        assertThat(shown.code()).isZero();
        assertThat(shown.out()).contains("\"controlMode\" : \"acm\"").contains("\"address\" : \"10.1.2.3\"")
                .contains("\"prefixLength\" : 24").contains("floor:2");

        assertThat(amtbus("", "profile", "add", "branch", "--tenant", "acme", "--control-mode", "ccm", "--mps-address",
                "10.0.0.5").out()).contains("replaced profile branch");
        assertThat(amtbus("", "profile", "show", "branch", "--tenant", "acme").out()).contains("\"network\" : {\n    \"mode\" : \"dhcp\"");

        OperatorNode.Run bad = amtbus("", "profile", "add", "broken", "--tenant", "acme", "--control-mode", "ccm", "--mps-address",
                "cira.acme.example", "--network", "static");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).startsWith("amtbus: a static network needs an IPv4 address");

        assertThat(amtbus("", "profile", "delete", "branch", "--tenant", "acme").code()).isZero();
        assertThat(amtbus("", "profile", "delete", "branch", "--tenant", "acme").code()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(amtbus("", "audit", "search", "--type", "profile.*").out())
                .contains("profile.created").contains("profile.changed").contains("profile.deleted").contains("profile:acme/branch"));
    }

    @Test
    void aDomainsPfxAndPasswordGoToTheSecretStoreAndAreNeverPrinted() throws Exception {
        // given the password on standard input
        OperatorNode.Run added = amtbus(PFX_PASSWORD + "\n", "domain", "add", "acme-prov", "--tenant", "acme", "--dns-suffix", SUFFIX,
                "--pfx", pfxFile.toString());
        assertThat(added.code()).as(added.err()).isZero();
        assertThat(added.out()).contains("created domain acme-prov").doesNotContain(PFX_PASSWORD);

        // then the secrets exist, and show prints the chain's subjects and fingerprints only
        assertThat(amtbus("", "secret", "list", "--prefix", "domains/acme-prov").out())
                .contains("domains/acme-prov/pfx").contains("domains/acme-prov/pfx-password");
        OperatorNode.Run shown = amtbus("", "domain", "show", "acme-prov");
        assertThat(shown.code()).isZero();
        assertThat(shown.out()).contains("CN=amt-prov." + SUFFIX).contains("CN=Test Provisioning Intermediate")
                .contains(ProvisioningPki.sha256(pki.root)).contains(ProvisioningPki.sha256(pki.leaf))
                .doesNotContain(PFX_PASSWORD).doesNotContain("PRIVATE KEY");
        assertThat(amtbus("", "domain", "list", "--tenant", "acme").out()).contains("acme-prov").contains(SUFFIX)
                .contains(pki.rootSha256());

        // and a wrong password is refused with one line; a password file works
        OperatorNode.Run wrong = amtbus("Not-The-Passw0rd!\n", "domain", "add", "acme-bad", "--tenant", "acme", "--dns-suffix", SUFFIX,
                "--pfx", pfxFile.toString());
        assertThat(wrong.code()).isEqualTo(2);
        assertThat(wrong.err()).contains("the .pfx cannot be opened").doesNotContain("Not-The-Passw0rd!");
        Path passwordFile = ops.dataDir.resolve("pfx-password");
        Files.writeString(passwordFile, PFX_PASSWORD + "\n");
        assertThat(amtbus("", "domain", "add", "acme-prov", "--tenant", "acme", "--dns-suffix", SUFFIX, "--pfx", pfxFile.toString(),
                "--password-file", passwordFile.toString()).out()).contains("replaced domain acme-prov");

        assertThat(amtbus("", "domain", "delete", "acme-prov").code()).isZero();
        assertThat(amtbus("", "secret", "list", "--prefix", "domains/acme-prov").out()).doesNotContain("acme-prov");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            String audit = amtbus("", "audit", "search", "--type", "domain.*", "--json").out();
            assertThat(audit).contains("domain.created").contains("domain.changed").contains("domain.deleted")
                    .doesNotContain(PFX_PASSWORD);
        });
    }

    @Test
    void provisionPublishesARequestThatTheWorkerReauthorizesAndAnswers() {
        // given a profile and an account that may only subscribe
        assertThat(amtbus("", "profile", "add", "kiosk", "--tenant", "acme", "--control-mode", "ccm", "--mps-address",
                "cira.acme.example").code()).isZero();
        assertThat(amtbus("copper kettle sings 31\n", "user", "add", "viewer", "--tenant", "acme").code()).isZero();
        assertThat(amtbus("", "acl", "grant", "viewer", "amtbus/v1/{tenant}/#", "1").code()).isZero();
        String guid = UUID.randomUUID().toString();

        // when the superuser asks, the worker takes the request (and, with no agent relay in this node, fails it)
        OperatorNode.Run asked = amtbus("", "provision", guid, "--profile", "kiosk", "--wait", "90");
        assertThat(asked.out()).contains("published as admin")
                .contains("channel: failed (no agent relay is connected for device " + guid + ")");
        assertThat(asked.code()).isEqualTo(1);

        // then accounts that may not publish there are refused before anything is sent
        OperatorNode.Run viewer = amtbus("", "provision", guid, "--profile", "kiosk", "--tenant", "acme", "--as", "viewer");
        assertThat(viewer.code()).isEqualTo(2);
        assertThat(viewer.err()).contains("principal viewer may not publish provisioning requests for tenant acme");
        assertThat(amtbus("", "provision", guid, "--profile", "nope").err()).contains("no tenant has a profile nope");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(amtbus("", "audit", "search", "--type",
                "provisioning.requested").out()).contains("device:" + guid));

        // a deactivation takes the same path; the worker refuses one for a device it does not manage
        assertThat(amtbus("", "deprovision", guid).err()).contains("no device " + guid + " is registered");
        OperatorNode.Run deprovision = amtbus("", "deprovision", guid, "--tenant", "acme", "--wait", "90");
        assertThat(deprovision.out()).contains("to deactivate device " + guid)
                .contains("deactivate: failed (device " + guid + " is not registered in tenant acme)");
        assertThat(deprovision.code()).isEqualTo(1);
        assertThat(amtbus("", "deprovision", guid, "--tenant", "acme", "--as", "viewer").err())
                .contains("principal viewer may not publish provisioning requests for tenant acme");
    }

    @Test
    void theAdminApiManagesProfilesAndDomainsAndNeverReturnsThePfxOrItsPassword() throws Exception {
        String admin = token("admin", ops.node.adminPassword());
        assertThat(amtbus("granite harbor lights 64\n", "user", "add", "plain").code()).isZero();
        String plain = token("plain", "granite harbor lights 64");

        // profiles
        String body = "{\"controlMode\":\"ccm\",\"cira\":{\"mpsAddress\":\"cira.acme.example\",\"periodicSeconds\":60},"
                + "\"userConsent\":\"none\",\"network\":{\"mode\":\"static\",\"address\":\"10.9.8.7\",\"prefixLength\":16},"
                + "\"tags\":[\"api\"]}";
        assertThat(api("PUT", "/api/v1/profiles/acme/from-api", admin, body).statusCode()).isEqualTo(201);
        HttpResponse<String> again = api("PUT", "/api/v1/profiles/acme/from-api", admin, body);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).path("network").path("address").asText()).isEqualTo("10.9.8.7");
        assertThat(json(api("GET", "/api/v1/profiles/acme/from-api", admin, null)).path("cira").path("periodicSeconds").asInt())
                .isEqualTo(60);
        assertThat(api("GET", "/api/v1/profiles?tenant=acme", admin, null).body()).contains("from-api");
        HttpResponse<String> unknown = api("PUT", "/api/v1/profiles/acme/x", admin, "{\"controlMode\":\"ccm\",\"role\":1}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(unknown).path("detail").asText()).startsWith("unknown field 'role'");
        assertThat(api("PUT", "/api/v1/profiles/acme/x", admin, "{\"controlMode\":\"xcm\",\"cira\":{\"mpsAddress\":\"a.b\"}}")
                .statusCode()).isEqualTo(400);
        assertThat(api("GET", "/api/v1/profiles", null, null).statusCode()).isEqualTo(401);
        assertThat(api("GET", "/api/v1/profiles", plain, null).statusCode()).isEqualTo(403);
        assertThat(api("DELETE", "/api/v1/profiles/acme/from-api", plain, null).statusCode()).isEqualTo(403);
        assertThat(api("DELETE", "/api/v1/profiles/acme/from-api", admin, null).statusCode()).isEqualTo(204);
        assertThat(api("GET", "/api/v1/profiles/acme/from-api", admin, null).statusCode()).isEqualTo(404);

        // domains: the .pfx and its password go in, never out
        String pfx = Base64.getEncoder().encodeToString(pki.pfx(PFX_PASSWORD.toCharArray()));
        String domain = "{\"tenant\":\"acme\",\"dnsSuffix\":\"" + SUFFIX + "\",\"pfx\":\"" + pfx + "\",\"password\":\"" + PFX_PASSWORD + "\"}";
        HttpResponse<String> created = api("PUT", "/api/v1/domains/api-prov", admin, domain);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode view = json(created);
        assertThat(view.path("chain")).hasSize(3);
        assertThat(view.path("chain").get(2).path("sha256").asText()).isEqualTo(pki.rootSha256());
        HttpResponse<String> shown = api("GET", "/api/v1/domains/api-prov", admin, null);
        HttpResponse<String> listed = api("GET", "/api/v1/domains", admin, null);
        for (HttpResponse<String> r : java.util.List.of(created, shown, listed)) {
            assertThat(r.body()).doesNotContain(PFX_PASSWORD).doesNotContain(pfx.substring(0, 64)).doesNotContain("\"pfx\"")
                    .doesNotContain("password");
        }
        assertThat(json(shown).path("dnsSuffix").asText()).isEqualTo(SUFFIX);
        HttpResponse<String> wrong = api("PUT", "/api/v1/domains/api-bad", admin, domain.replace(PFX_PASSWORD, "Wrong-Passw0rd!"));
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("the .pfx cannot be opened").doesNotContain("Wrong-Passw0rd!");
        assertThat(api("PUT", "/api/v1/domains/api-bad", admin, domain.replace(pfx, "not base64!")).statusCode()).isEqualTo(400);
        assertThat(api("PUT", "/api/v1/domains/api-prov", plain, domain).statusCode()).isEqualTo(403);
        assertThat(api("DELETE", "/api/v1/domains/api-prov", admin, null).statusCode()).isEqualTo(204);
        assertThat(api("GET", "/api/v1/domains/api-prov", admin, null).statusCode()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(amtbus("", "audit", "search", "--type", "domain.*",
                "--json").out()).contains("domain:api-prov").doesNotContain(PFX_PASSWORD));
    }

    @Test
    void theNodesRouteTableIsItsOpenApiDocumentBothWays() throws Exception {
        HttpResponse<String> served = api("GET", "/api/v1/openapi.yaml", null, null);
        assertThat(served.statusCode()).isEqualTo(200);
        Set<ApiServer.Route> documented = OpenApiDocument.operations(served.body().getBytes(StandardCharsets.UTF_8), false);
        assertThat(documented).contains(new ApiServer.Route("PUT", "/api/v1/domains/{name}"));
        assertThat(documented).containsExactlyInAnyOrderElementsOf(ops.node.node.apiRoutes());
    }
}
