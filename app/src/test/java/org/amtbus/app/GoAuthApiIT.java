package org.amtbus.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.amtbus.platform.tls.TlsContexts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The mosquitto-go-auth HTTP backend, exercised the way go-auth calls it (form-encoded POSTs, status
 * codes as answers; {@code response_mode status}), and with JSON bodies.
 */
class GoAuthApiIT {

    @RegisterExtension
    static final OperatorNode ops = new OperatorNode();

    private static HttpClient client;
    private static final String PASSWORD = "river stones and quiet pines";

    @BeforeAll
    static void setUp() throws Exception {
        SSLContext tls = SSLContext.getInstance("TLSv1.3");
        tls.init(null, TlsContexts.trustManagerFactory(ops.node.caCertificate()).getTrustManagers(), null);
        SSLParameters params = new SSLParameters();
        params.setProtocols(new String[] {"TLSv1.3"});
        client = HttpClient.newBuilder().sslContext(tls).sslParameters(params).build();
        assertThat(ops.amtbus(PASSWORD + "\n", "user", "add", "gobot").code()).isZero();
        assertThat(ops.amtbus("", "acl", "grant", "gobot", "amtbus/v1/acme/#", "1").code()).isZero();
    }

    private static int form(String endpoint, Map<String, String> fields) throws Exception {
        String body = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(endpoint, "application/x-www-form-urlencoded", body);
    }

    private static int send(String endpoint, String type, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(ops.node.node.endpoints().apiUrl() + endpoint))
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static Map<String, String> fields(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void authAnswersWithStatusCodesAndNeverA5xxForADenial() throws Exception {
        assertThat(form("auth", fields("username", "gobot", "password", PASSWORD, "clientid", "m1"))).isEqualTo(200);
        assertThat(form("auth", fields("username", "gobot", "password", "wrong", "clientid", "m1"))).isEqualTo(403);
        assertThat(form("auth", fields("username", "nobody", "password", "x", "clientid", "m1"))).isEqualTo(403);
        assertThat(form("auth", fields("username", "a/#", "password", "x"))).isEqualTo(403);
        assertThat(send("auth", "application/json", "{\"username\":\"gobot\",\"password\":\"" + PASSWORD + "\"}")).isEqualTo(200);
        assertThat(send("auth", "application/json", "{not json")).isEqualTo(400);
    }

    @Test
    void failuresOverHttpLockTheAccountForMqttToo() throws Exception {
        // given an account of its own
        String password = "harbor lights over still water";
        assertThat(ops.amtbus(password + "\n", "user", "add", "crossover").code()).isZero();

        // when five wrong passwords are tried over HTTP
        for (int i = 0; i < 5; i++) {
            assertThat(form("auth", fields("username", "crossover", "password", "guess " + i))).isEqualTo(403);
        }

        // then the right password is refused over MQTT as well: one lockout for both doors
        var mqtt = ops.node.mqttClient(RunningNode.newClientId()).simpleAuth().username("crossover")
                .password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
        org.assertj.core.api.Assertions.assertThatThrownBy(mqtt::connect)
                .isInstanceOf(com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException.class);
        assertThat(form("auth", fields("username", "crossover", "password", password))).isEqualTo(403);
    }

    @Test
    void superuserIsOnlyForSuperusers() throws Exception {
        assertThat(form("superuser", fields("username", "admin"))).isEqualTo(200);
        assertThat(form("superuser", fields("username", "gobot"))).isEqualTo(403);
        assertThat(form("superuser", fields("username", "ghost"))).isEqualTo(403);
    }

    @Test
    void aclcheckDecidesReceivePublishAndSubscribeByLevel() throws Exception {
        String results = "amtbus/v1/acme/devices/3f2504e0-4f89-11d3-9a0c-0305e82c3301/results";
        assertThat(form("aclcheck", fields("username", "gobot", "clientid", "m1", "topic", results, "acc", "1"))).isEqualTo(200);
        assertThat(form("aclcheck", fields("username", "gobot", "clientid", "m1", "topic", "amtbus/v1/acme/#", "acc", "4"))).isEqualTo(200);
        assertThat(form("aclcheck", fields("username", "gobot", "clientid", "m1", "topic", "amtbus/v1/#", "acc", "4"))).isEqualTo(403);
        assertThat(form("aclcheck", fields("username", "gobot", "clientid", "m1", "topic", results, "acc", "2"))).isEqualTo(403);
        assertThat(form("aclcheck", fields("username", "gobot", "clientid", "m1", "topic", results, "acc", "3"))).isEqualTo(403);
        assertThat(form("aclcheck", fields("username", "gobot", "clientid", "m1", "acc", "1"))).isEqualTo(400);
    }
}
