package org.amtbus.acl.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.time.Duration;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.amtbus.acl.account.AccountName;
import org.amtbus.platform.device.DeviceSecrets;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.DeviceGuid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin API over real HTTPS (TLS 1.3) on real PostgreSQL: roles, resources, strict input, audit. */
class AdminApiIT {

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
    void refusesRequestsWithoutOrWithAGarbageTokenAndAuditsEachDenial() {
        HttpResponse<String> none = api.send("GET", "/api/v1/users", null, null);
        HttpResponse<String> garbage = api.send("GET", "/api/v1/users", "eyJhbGciOi.garbage.x", null);

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(none.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(garbage.statusCode()).isEqualTo(401);
        api.assertAudited("auth.login", e -> e.outcome() == AuditEvent.Outcome.FAILURE && "no bearer token".equals(e.reason())
                && "127.0.0.1".equals(e.source()));
        api.assertAudited("auth.login", e -> e.outcome() == AuditEvent.Outcome.FAILURE && e.reason().startsWith("token refused"));
    }

    @Test
    void refusesANonAdminWith403AndAuditsIt() {
        String token = api.userToken("viewer", "quiet meadow lantern 7");

        assertThat(api.send("GET", "/api/v1/users", token, null).statusCode()).isEqualTo(403);
        assertThat(api.send("POST", "/api/v1/grants", token, "{\"account\":\"viewer\",\"pattern\":\"#\",\"level\":3}")
                .statusCode()).isEqualTo(403);
        assertThat(api.send("GET", "/api/v1/devices", token, null).statusCode()).isEqualTo(403);

        api.assertAudited("acl.denied", e -> e.actor().name().equals("viewer") && "POST /api/v1/grants".equals(e.target()));
        assertThat(api.admin.grantsOf("viewer")).isEmpty();
    }

    @Test
    void aDeletedAccountsTokenStopsWorking() {
        String token = api.userToken("ephemeral", "brief candle wick 9 long");
        api.admin.delete("ephemeral", AuditEvent.Actor.system("test"));

        assertThat(api.send("PUT", "/api/v1/users/ephemeral/password", token, "{\"password\":\"x\"}").statusCode()).isEqualTo(401);
    }

    @Test
    void anAdminCreatesListsAndDeletesUsersAndServiceAccounts() {
        String token = api.adminToken();

        HttpResponse<String> user = api.send("POST", "/api/v1/users", token,
                "{\"name\":\"carol\",\"password\":\"copper kettle sings 31\",\"tenant\":\"acme\"}");
        HttpResponse<String> service = api.send("POST", "/api/v1/users", token, "{\"name\":\"svc-report\",\"kind\":\"service\"}");
        HttpResponse<String> again = api.send("POST", "/api/v1/users", token, "{\"name\":\"carol\",\"password\":\"copper kettle sings 31\"}");
        HttpResponse<String> list = api.send("GET", "/api/v1/users", token, null);

        assertThat(user.statusCode()).isEqualTo(201);
        assertThat(api.body(user).at("/account/tenant").asText()).isEqualTo("acme");
        assertThat(api.body(user).has("password")).as("a chosen password is never echoed").isFalse();
        assertThat(service.statusCode()).isEqualTo(201);
        String generated = api.body(service).at("/password").asText();
        assertThat(generated).hasSizeGreaterThanOrEqualTo(40);
        assertThat(api.passwords.authenticate("svc-report", generated.getBytes(StandardCharsets.UTF_8)).isAccepted()).isTrue();
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(api.body(list).get("users").findValuesAsText("name")).contains("carol", "svc-report", ApiFixture.ADMIN);
        assertThat(api.everythingPublished()).doesNotContain(generated).doesNotContain("copper kettle sings 31");

        assertThat(api.send("DELETE", "/api/v1/users/carol", token, null).statusCode()).isEqualTo(204);
        assertThat(api.send("DELETE", "/api/v1/users/carol", token, null).statusCode()).isEqualTo(404);
        assertThat(api.send("DELETE", "/api/v1/users/" + ApiFixture.ADMIN, token, null).statusCode())
                .as("the last superuser stays").isEqualTo(409);
        api.assertAudited("user.created", e -> "svc-report".equals(e.target()) && "service".equals(e.details().get("kind")));
        api.assertAudited("user.deleted", e -> "carol".equals(e.target()) && e.actor().name().equals(ApiFixture.ADMIN));
    }

    @Test
    void aUserChangesTheirOwnPasswordOnlyWithTheCurrentOneAndNoOneElses() {
        String dave = api.userToken("dave", "old lighthouse keeper 5");
        String erin = api.userToken("erin", "another lighthouse 88x");

        assertThat(api.send("PUT", "/api/v1/users/dave/password", dave, "{\"password\":\"new lighthouse keeper 6\"}")
                .statusCode()).as("current password missing").isEqualTo(400);
        assertThat(api.send("PUT", "/api/v1/users/dave/password", dave,
                "{\"password\":\"new lighthouse keeper 6\",\"currentPassword\":\"wrong one\"}").statusCode()).isEqualTo(403);
        assertThat(api.send("PUT", "/api/v1/users/dave/password", erin, "{\"password\":\"new lighthouse keeper 6\"}")
                .statusCode()).isEqualTo(403);
        assertThat(api.send("PUT", "/api/v1/users/dave/password", dave,
                "{\"password\":\"new lighthouse keeper 6\",\"currentPassword\":\"old lighthouse keeper 5\"}").statusCode())
                .isEqualTo(204);
        assertThat(api.send("PUT", "/api/v1/users/dave/password", dave,
                "{\"password\":\"dave\",\"currentPassword\":\"new lighthouse keeper 6\"}").statusCode())
                .as("the policy applies").isEqualTo(400);
        assertThat(api.send("PUT", "/api/v1/users/erin/password", api.adminToken(),
                "{\"password\":\"admin reset value 2025\"}").statusCode()).as("admin reset").isEqualTo(204);

        assertThat(api.passwords.authenticate("dave", "new lighthouse keeper 6".getBytes(StandardCharsets.UTF_8)).isAccepted()).isTrue();
        assertThat(api.passwords.authenticate("erin", "admin reset value 2025".getBytes(StandardCharsets.UTF_8)).isAccepted()).isTrue();
        api.assertAudited("user.password-changed", e -> "erin".equals(e.target()) && e.actor().name().equals(ApiFixture.ADMIN));
    }

    @Test
    void grantsAreAddedListedAndRevokedThroughTheSharedAdminPath() {
        String token = api.adminToken();
        api.userToken("frank", "tall cedar window 77");

        HttpResponse<String> granted = api.send("POST", "/api/v1/grants", token,
                "{\"account\":\"frank\",\"pattern\":\"amtbus/v1/acme/#\",\"level\":1}");
        HttpResponse<String> listed = api.send("GET", "/api/v1/grants?account=frank", token, null);

        assertThat(granted.statusCode()).isEqualTo(201);
        assertThat(api.body(listed).at("/grants/0/pattern").asText()).isEqualTo("amtbus/v1/acme/#");
        assertThat(api.access.load(new AccountName("frank")).orElseThrow().policy().canSubscribe("amtbus/v1/acme/x")).isTrue();
        String query = "?account=frank&pattern=" + URLEncoder.encode("amtbus/v1/acme/#", StandardCharsets.UTF_8);
        assertThat(api.send("DELETE", "/api/v1/grants" + query, token, null).statusCode()).isEqualTo(204);
        assertThat(api.send("DELETE", "/api/v1/grants" + query, token, null).statusCode()).isEqualTo(404);
        assertThat(api.admin.grantsOf("frank")).isEmpty();
        api.assertAudited("acl.changed", e -> "frank".equals(e.target()) && "revoke".equals(e.details().get("change")));
        assertThat(api.changeProducer.history()).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void refusesInjectionAndWildcardStringsInNamesAndPatterns() {
        String token = api.adminToken();
        api.userToken("grace", "amber field morning 3");
        String[] names = {"alice' OR '1'='1", "a/#", "+", "#", "a\\u0000b", "x; DROP TABLE accounts; --"};
        for (String name : names) {
            HttpResponse<String> r = api.send("POST", "/api/v1/users", token,
                    "{\"name\":\"" + name + "\",\"password\":\"a decent long password\"}");
            assertThat(r.statusCode()).as(name).isEqualTo(400);
        }
        for (String pattern : new String[] {"a/#/b", "a+/b", "a/\\u0000", ""}) {
            HttpResponse<String> r = api.send("POST", "/api/v1/grants", token,
                    "{\"account\":\"grace\",\"pattern\":\"" + pattern + "\",\"level\":3}");
            assertThat(r.statusCode()).as(pattern).isEqualTo(400);
        }
        assertThat(api.send("POST", "/api/v1/grants", token, "{\"account\":\"grace\",\"pattern\":\"a\",\"level\":4}").statusCode())
                .isEqualTo(400);
        assertThat(api.send("DELETE", "/api/v1/users/" + URLEncoder.encode("x' OR '1'='1", StandardCharsets.UTF_8), token, null)
                .statusCode()).isEqualTo(400);
        assertThat(api.admin.grantsOf("grace")).isEmpty();
        assertThat(api.accounts.list()).hasSizeGreaterThan(1);
    }

    @Test
    void inputIsStrictAndErrorsSayWhatIsWrongWithoutEchoingValues() {
        String token = api.adminToken();

        HttpResponse<String> unknown = api.send("POST", "/api/v1/users", token,
                "{\"name\":\"henry\",\"password\":\"sekret-value-123456\",\"role\":\"admin\"}");
        HttpResponse<String> wrongType = api.send("POST", "/api/v1/grants", token,
                "{\"account\":\"henry\",\"pattern\":\"a\",\"level\":\"3\"}");
        HttpResponse<String> duplicate = api.send("POST", "/api/v1/users", token,
                "{\"name\":\"henry\",\"name\":\"root\",\"password\":\"x\"}");
        HttpResponse<String> notJson = api.send("POST", "/api/v1/users", token, "name=henry");
        HttpResponse<String> missing = api.send("POST", "/api/v1/users", token, "{\"name\":\"henry\"}");
        HttpResponse<String> huge = api.send("POST", "/api/v1/users", token,
                "{\"name\":\"henry\",\"password\":\"" + "x".repeat(ApiServer.MAX_BODY_BYTES) + "\"}");

        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(api.body(unknown).get("detail").asText()).contains("unknown field 'role'").doesNotContain("sekret");
        assertThat(api.body(wrongType).get("detail").asText()).isEqualTo("field 'level' has the wrong type");
        assertThat(duplicate.statusCode()).isEqualTo(400);
        assertThat(notJson.statusCode()).isEqualTo(415);
        assertThat(api.body(missing).get("detail").asText()).isEqualTo("field 'password' is required");
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(api.send("GET", "/api/v1/nothing", token, null).statusCode()).isEqualTo(404);
        HttpResponse<String> wrongMethod = api.send("PATCH", "/api/v1/users", token, null);
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET, POST");
        assertThat(unknown.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void registeringADeviceReturnsItsGeneratedPasswordsOnceAndStoresThemAsSecrets() {
        String token = api.adminToken();
        String guid = "4c4c4544-004b-4210-8033-b6c04f504633";

        HttpResponse<String> created = api.send("POST", "/api/v1/devices", token,
                "{\"guid\":\"" + guid + "\",\"tenant\":\"acme\",\"hostname\":\"desk-7\",\"tags\":[\"floor-2\"]}");
        HttpResponse<String> again = api.send("POST", "/api/v1/devices", token, "{\"guid\":\"" + guid + "\",\"tenant\":\"acme\"}");
        HttpResponse<String> list = api.send("GET", "/api/v1/devices?tenant=acme", token, null);

        assertThat(created.statusCode()).isEqualTo(201);
        String cira = api.body(created).at("/credentials/ciraPassword").asText();
        String amt = api.body(created).at("/credentials/amtAdminPassword").asText();
        DeviceGuid id = new DeviceGuid(guid);
        assertThat(api.deviceSecrets.get(id, DeviceSecrets.Kind.CIRA_PASSWORD).orElseThrow().revealChars()).isEqualTo(cira.toCharArray());
        assertThat(api.deviceSecrets.get(id, DeviceSecrets.Kind.AMT_ADMIN_PASSWORD).orElseThrow().revealChars()).isEqualTo(amt.toCharArray());
        assertThat(cira).isNotEqualTo(amt);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(list.body()).contains(guid).contains("desk-7").doesNotContain(cira).doesNotContain(amt);
        assertThat(api.everythingPublished()).doesNotContain(cira).doesNotContain(amt);
        api.assertAudited("device.registered", e -> ("device:" + guid).equals(e.target()) && e.actor().name().equals(ApiFixture.ADMIN));

        assertThat(api.send("POST", "/api/v1/devices", token, "{\"guid\":\"not-a-guid\",\"tenant\":\"acme\"}").statusCode()).isEqualTo(400);
        assertThat(api.send("POST", "/api/v1/devices", token, "{\"guid\":\"" + guid.replace('4', '5') + "\",\"tenant\":\"ACME/#\"}")
                .statusCode()).isEqualTo(400);
        assertThat(api.send("DELETE", "/api/v1/devices/" + guid, token, null).statusCode()).isEqualTo(204);
        assertThat(api.send("DELETE", "/api/v1/devices/" + guid, token, null).statusCode()).isEqualTo(404);
        assertThat(api.deviceSecrets.get(id, DeviceSecrets.Kind.CIRA_PASSWORD)).isEmpty();
    }

    @Test
    void anAccountsTenantResolvesItsTenantGrants() {
        String token = api.adminToken();
        api.send("POST", "/api/v1/users", token, "{\"name\":\"ivan\",\"password\":\"blue heron river 11\",\"tenant\":\"acme\"}");
        api.send("POST", "/api/v1/grants", token, "{\"account\":\"ivan\",\"pattern\":\"amtbus/v1/{tenant}/#\",\"level\":1}");

        var before = api.access.load(new AccountName("ivan")).orElseThrow().policy();
        assertThat(api.send("PUT", "/api/v1/users/ivan/tenant", token, "{\"tenant\":\"globex\"}").statusCode()).isEqualTo(204);
        var after = api.access.load(new AccountName("ivan")).orElseThrow().policy();
        assertThat(api.send("PUT", "/api/v1/users/ivan/tenant", token, "{\"tenant\":null}").statusCode()).isEqualTo(204);
        var none = api.access.load(new AccountName("ivan")).orElseThrow().policy();

        assertThat(before.canSubscribe("amtbus/v1/acme/#")).isTrue();
        assertThat(before.canSubscribe("amtbus/v1/globex/#")).isFalse();
        assertThat(after.canSubscribe("amtbus/v1/globex/#")).isTrue();
        assertThat(after.canSubscribe("amtbus/v1/acme/#")).isFalse();
        assertThat(none.canSubscribe("amtbus/v1/acme/#")).isFalse();
        assertThat(api.send("PUT", "/api/v1/users/ivan/tenant", token, "{\"tenant\":\"a/+\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void anAdminCreatesAOneTimeAgentEnrollmentTokenShownOnlyInTheResponse() {
        // given
        String token = api.adminToken();
        String viewer = api.userToken("token-viewer", "amber harbour bell 42");
        String guid = java.util.UUID.randomUUID().toString();
        String path = "/api/v1/devices/" + guid + "/enrollment-tokens";

        // when
        HttpResponse<String> created = api.send("POST", path, token, "{\"tenant\":\"acme\",\"minutes\":5}");
        HttpResponse<String> tooLong = api.send("POST", path, token, "{\"tenant\":\"acme\",\"minutes\":5000}");
        HttpResponse<String> notAdmin = api.send("POST", path, viewer, "{\"tenant\":\"acme\"}");

        // then the token is in the answer, works once for that device, and is in no audit event
        assertThat(created.statusCode()).isEqualTo(201);
        String secret = api.body(created).at("/token").asText();
        assertThat(secret).hasSize(43);
        assertThat(api.body(created).at("/username").asText()).isEqualTo("agent-" + guid);
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(notAdmin.statusCode()).isEqualTo(403);
        api.assertAudited("agent.token.issued", e -> ("device:" + guid).equals(e.target()));
        var store = new org.amtbus.acl.enrollment.EnrollmentTokens(api.database.dataSource(), api.audit,
                java.time.Clock.systemUTC());
        byte[] bytes = secret.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        var device = new org.amtbus.schemas.model.DeviceGuid(guid);
        assertThat(store.redeem(new org.amtbus.schemas.model.DeviceGuid(java.util.UUID.randomUUID().toString()), bytes, "c")
                .refusal()).contains(org.amtbus.acl.enrollment.EnrollmentTokens.Refusal.OTHER_DEVICE);
        assertThat(store.redeem(device, bytes, "c").tenant()).contains(new org.amtbus.schemas.model.TenantId("acme"));
        assertThat(store.redeem(device, bytes, "c").refusal())
                .contains(org.amtbus.acl.enrollment.EnrollmentTokens.Refusal.ALREADY_USED);
        assertThat(api.auditProducer.history()).noneMatch(r -> new String(r.value(),
                java.nio.charset.StandardCharsets.UTF_8).contains(secret));
    }

    @Test
    void expiredEnrollmentTokensArePurgedADayAfterTheirExpiryAndLiveOnesStay() throws Exception {
        // given a token that expired two days ago (issued on a clock three days back) and a live one
        java.time.Instant threeDaysAgo = java.time.Instant.now().minus(Duration.ofDays(3));
        var past = new org.amtbus.acl.enrollment.EnrollmentTokens(api.database.dataSource(), api.audit,
                java.time.Clock.fixed(threeDaysAgo, java.time.ZoneOffset.UTC));
        var now = new org.amtbus.acl.enrollment.EnrollmentTokens(api.database.dataSource(), api.audit, java.time.Clock.systemUTC());
        var tenant = new org.amtbus.schemas.model.TenantId("acme");
        var oldDevice = new org.amtbus.schemas.model.DeviceGuid(java.util.UUID.randomUUID().toString());
        var liveDevice = new org.amtbus.schemas.model.DeviceGuid(java.util.UUID.randomUUID().toString());
        past.issue(tenant, oldDevice, Duration.ofMinutes(15), org.amtbus.schemas.model.AuditEvent.Actor.user("admin"));
        byte[] live = now.issue(tenant, liveDevice, Duration.ofMinutes(15),
                org.amtbus.schemas.model.AuditEvent.Actor.user("admin")).token().revealBytes();

        // when the purge runs
        try (var purge = org.amtbus.acl.enrollment.EnrollmentTokenPurge.start(now, Duration.ofHours(1))) {
            // then only the expired token's row is gone, and the live token still works
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> tokenRows(oldDevice) == 0);
        }
        assertThat(tokenRows(liveDevice)).isEqualTo(1);
        assertThat(now.redeem(liveDevice, live, "c").accepted()).isTrue();
    }

    private static int tokenRows(org.amtbus.schemas.model.DeviceGuid guid) throws java.sql.SQLException {
        try (var c = api.database.dataSource().getConnection();
             var st = c.prepareStatement("SELECT count(*) FROM agent_enrollment_tokens WHERE guid = ?")) {
            st.setString(1, guid.value());
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
