package org.amtbus.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.amtbus.acl.enrollment.EnrollmentTokens;
import org.amtbus.platform.db.Database;
import org.amtbus.platform.device.DeviceLeases;
import org.amtbus.platform.device.DeviceRegistry;
import org.amtbus.platform.device.DeviceSecrets;
import org.amtbus.platform.secret.Passwords;
import org.amtbus.platform.secret.SealedFileSecretStore;
import org.amtbus.platform.testing.TopicWatch;
import org.amtbus.provisioning.ProvisioningRuns;
import org.amtbus.sim.amt.ProvisioningPki;
import org.amtbus.provisioning.profile.CiraPolicy;
import org.amtbus.provisioning.profile.ControlMode;
import org.amtbus.provisioning.profile.DomainStore;
import org.amtbus.provisioning.profile.NetworkSettings;
import org.amtbus.provisioning.profile.Profile;
import org.amtbus.provisioning.profile.ProfileAdmin;
import org.amtbus.provisioning.profile.ProfileStore;
import org.amtbus.provisioning.profile.UserConsent;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.agent.AgentName;
import org.amtbus.schemas.agent.AgentTopic;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.Command;
import org.amtbus.schemas.model.CommandAction;
import org.amtbus.schemas.model.CommandResult;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.ProvisioningRequest;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.KafkaTopics;
import org.amtbus.sim.agent.SimulatedAgent;
import org.amtbus.sim.amt.AmtWebService;
import org.amtbus.sim.amt.SimulatedDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * The agent relay with a whole node: an unprovisioned simulated machine's agent logs in to the broker with a
 * one-time enrollment token, and a provisioning request published on MQTT takes the machine to managed over CIRA
 * (CCM and ACM), with progress watched on MQTT only; then a power command over MQTT runs over the CIRA connection.
 * Also: tokens are single use and expire, an agent reaches only its own device's topics, and an agent that dies
 * mid-run fails the run with nothing left behind.
 */
class AgentProvisioningIT {

    @RegisterExtension
    static final RunningNode NODE = RunningNode.perClass();

    private static final TenantId TENANT = new TenantId("acme");
    private static final String SUFFIX = "corp.example";
    private static final char[] PFX_PASSWORD = "Pfx-Pa55word!".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AuditEvent.Actor OPERATOR = AuditEvent.Actor.user("alice");
    private static final Duration RUN = Duration.ofSeconds(120);

    private static Database database;
    private static SealedFileSecretStore secretStore;
    private static EnrollmentTokens tokens;
    private static ProvisioningPki pki;
    private static EventLoopGroup ciraLoops;
    private static Mqtt5BlockingClient operator;
    private static ListAppender<ILoggingEvent> logs;
    private static final List<SimulatedAgent> AGENTS = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() {
        logs = new ListAppender<>();
        logs.start();
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME).addAppender(logs);
        database = NODE.database();
        secretStore = SealedFileSecretStore.open(NODE.dataDir.resolve("secrets"));
        tokens = new EnrollmentTokens(database.dataSource(), NODE.node.audit(), Clock.systemUTC());
        ciraLoops = new NioEventLoopGroup(2);
        ProfileAdmin admin = new ProfileAdmin(new ProfileStore(database.dataSource()),
                new DomainStore(database.dataSource(), secretStore), NODE.node.audit());
        pki = new ProvisioningPki("amt-prov." + SUFFIX);
        admin.putDomain("corp", TENANT, SUFFIX, pki.pfx(PFX_PASSWORD), PFX_PASSWORD.clone(), OPERATOR);
        admin.putProfile(profile("office-ccm", ControlMode.CCM), OPERATOR);
        admin.putProfile(profile("office-acm", ControlMode.ACM), OPERATOR);
        operator = NODE.adminClient(RunningNode.newClientId());
    }

    @AfterAll
    static void stop() {
        AGENTS.forEach(SimulatedAgent::close);
        if (operator != null) {
            operator.disconnect();
        }
        if (ciraLoops != null) {
            ciraLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        if (secretStore != null) {
            secretStore.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private static Profile profile(String name, ControlMode mode) {
        return new Profile(name, TENANT, mode, CiraPolicy.defaults("127.0.0.1", NODE.ciraPort()),
                mode == ControlMode.ACM ? UserConsent.NONE : UserConsent.ALL, NetworkSettings.dhcp(), List.of("it"));
    }

    /** A machine fresh from the factory and its local web service. */
    private record Machine(SimulatedDevice device, AmtWebService web) {
        DeviceGuid guid() {
            return DeviceGuid.of(device.guid());
        }
    }

    private static Machine machine() {
        SimulatedDevice device = SimulatedDevice.preProvisioned(UUID.randomUUID(), SUFFIX, List.of(pki.rootSha256()), RANDOM);
        return new Machine(device, new AmtWebService(device, Clock.systemUTC(), RANDOM));
    }

    private static byte[] token(DeviceGuid guid) {
        return tokens.issue(TENANT, guid, Duration.ofMinutes(15), OPERATOR).token().revealBytes();
    }

    private static SimulatedAgent agent(Machine m, byte[] token, SimulatedAgent.Behaviour behaviour) throws IOException {
        SimulatedAgent agent = SimulatedAgent.connect(m.device(), m.web(), TENANT, broker(), token, behaviour, ciraLoops);
        AGENTS.add(agent);
        return agent;
    }

    private static SimulatedAgent.Broker broker() {
        return new SimulatedAgent.Broker("127.0.0.1", NODE.mqttPort(), NODE.caCertificate());
    }

    private static String statusTopic(DeviceGuid guid) {
        return "amtbus/v1/" + TENANT.value() + "/provisioning/status/" + guid.value();
    }

    /** Publishes the request on MQTT and returns the statuses MQTT delivers until a terminal one (and its rollback). */
    private static List<JsonNode> provisionOverMqtt(DeviceGuid guid, String profile) throws Exception {
        return requestOverMqtt(new ProvisioningRequest(UUID.randomUUID(), TENANT, guid, profile, Instant.now()));
    }

    /** Publishes {@code request} on MQTT and returns the statuses MQTT delivers until a terminal one (and its rollback). */
    private static List<JsonNode> requestOverMqtt(ProvisioningRequest request) throws Exception {
        DeviceGuid guid = request.guid();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = operator.publishes(MqttGlobalPublishFilter.ALL)) {
            operator.subscribeWith().topicFilter(statusTopic(guid)).qos(MqttQos.AT_LEAST_ONCE).send();
            operator.publishWith().topic("amtbus/v1/" + TENANT.value() + "/provisioning/requests").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(Json.write(request)).send();
            List<JsonNode> statuses = new ArrayList<>();
            long end = System.nanoTime() + RUN.toNanos();
            while (System.nanoTime() < end) {
                Optional<Mqtt5Publish> p = publishes.receive(1, TimeUnit.SECONDS);
                if (p.isEmpty() || !p.get().getTopic().toString().equals(statusTopic(guid))) {
                    continue;
                }
                JsonNode status = Json.read(p.get().getPayloadAsBytes(), JsonNode.class);
                statuses.add(status);
                String state = status.path("state").asText();
                if (state.equals("succeeded") || state.equals("rolled-back")
                        || state.equals("failed") && statuses.stream().noneMatch(s -> s.path("step").asText().equals("secrets"))) {
                    break;
                }
            }
            operator.unsubscribeWith().topicFilter(statusTopic(guid)).send();
            return statuses;
        }
    }

    private static CommandResult powerStateOverMqtt(DeviceGuid guid) throws Exception {
        String base = "amtbus/v1/" + TENANT.value() + "/devices/" + guid.value() + "/";
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = operator.publishes(MqttGlobalPublishFilter.ALL)) {
            operator.subscribeWith().topicFilter(base + "results").qos(MqttQos.AT_LEAST_ONCE).send();
            Command command = new Command(UUID.randomUUID(), TENANT, guid, CommandAction.POWER_STATE, 60, null, Instant.now());
            operator.publishWith().topic(base + "commands").qos(MqttQos.AT_LEAST_ONCE).payload(Json.write(command)).send();
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < end) {
                Optional<Mqtt5Publish> p = publishes.receive(1, TimeUnit.SECONDS);
                if (p.isPresent() && p.get().getTopic().toString().equals(base + "results")) {
                    CommandResult result = Json.read(p.get().getPayloadAsBytes(), CommandResult.class);
                    if (result.commandId().equals(command.id())) {
                        return result;
                    }
                }
            }
            throw new AssertionError("no result for the power.state command within 60 s");
        }
    }

    /** The admin API's device list (what an operator reads about the provisioned machines). */
    private static String devicesFromTheApi() throws Exception {
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLSv1.3");
        tls.init(null, org.amtbus.platform.tls.TlsContexts.trustManagerFactory(NODE.caCertificate()).getTrustManagers(), null);
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().sslContext(tls).build();
        String api = NODE.node.endpoints().apiUrl();
        java.net.http.HttpResponse<String> login = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(api + "authorize")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("username=admin&password="
                        + java.net.URLEncoder.encode(NODE.adminPassword(), StandardCharsets.UTF_8))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        String bearer = Json.read(login.body().getBytes(StandardCharsets.UTF_8), JsonNode.class).path("access_token").asText();
        java.net.http.HttpResponse<String> devices = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(api + "devices?tenant=" + TENANT.value())).header("Authorization", "Bearer " + bearer)
                .GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(devices.statusCode()).as(devices.body()).isEqualTo(200);
        return devices.body();
    }

    private static List<String> steps(List<JsonNode> statuses) {
        return statuses.stream().map(s -> s.path("step").asText() + ":" + s.path("state").asText()).toList();
    }

    private static List<String> logLines() {
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent e : List.copyOf(logs.list)) {
            lines.add(e.getFormattedMessage());
            if (e.getThrowableProxy() != null) {
                lines.add(ThrowableProxyUtil.asString(e.getThrowableProxy()));
            }
        }
        return lines;
    }

    @Test
    void ccmAndAcmProfilesTakeUnprovisionedMachinesToCiraDrivenOnlyOverMqtt() throws Exception {
        // given two factory-fresh machines whose agents logged in with their tokens
        Machine ccm = machine();
        Machine acm = machine();
        List<String> tokensUsed = new ArrayList<>();
        List<String> passwords = new ArrayList<>();
        List<String> mqttSeen = new ArrayList<>();
        try (var audit = TopicWatch.open(NODE.kafka(), KafkaTopics.AUDIT, JsonNode.class);
             var events = TopicWatch.open(NODE.kafka(), KafkaTopics.EVENTS, JsonNode.class);
             var provisioning = TopicWatch.open(NODE.kafka(), KafkaTopics.PROVISIONING, JsonNode.class);
             var relayed = TopicWatch.open(NODE.kafka(), KafkaTopics.AGENT_DOWN, JsonNode.class)) {
            for (Machine m : List.of(ccm, acm)) {
                byte[] token = token(m.guid());
                tokensUsed.add(new String(token, StandardCharsets.US_ASCII));
                agent(m, token, SimulatedAgent.Behaviour.RELAY);
            }

            // when each is provisioned by a request on MQTT
            for (Machine m : List.of(ccm, acm)) {
                boolean isAcm = m == acm;
                List<JsonNode> statuses = provisionOverMqtt(m.guid(), isAcm ? "office-acm" : "office-ccm");
                statuses.forEach(s -> mqttSeen.add(s.toString()));

                // then the statuses on MQTT show every step, and the machine is activated and dials CIRA
                assertThat(steps(statuses)).as(statuses.toString()).containsExactlyElementsOf(isAcm
                        ? List.of("accepted:pending", "secrets:running", "activate:running", "mebx:running", "consent:running",
                                "network:running", "cira:running", "done:succeeded")
                        : List.of("accepted:pending", "secrets:running", "activate:running", "network:running", "cira:running",
                                "done:succeeded"));
                assertThat(m.device().controlMode())
                        .isEqualTo(isAcm ? SimulatedDevice.ControlMode.ACM : SimulatedDevice.ControlMode.CCM);
                DeviceLeases leases = new DeviceLeases(database.dataSource());
                await().atMost(Duration.ofSeconds(60)).until(() -> leases.holder(m.guid()).isPresent());

                // and a power command over MQTT runs over the new CIRA connection with the generated password
                CommandResult result = powerStateOverMqtt(m.guid());
                assertThat(result.status()).as(String.valueOf(result.reason())).isEqualTo(CommandResult.Status.SUCCEEDED);
                mqttSeen.add(Json.writeString(result));

                DeviceSecrets secrets = new DeviceSecrets(secretStore);
                assertThat(secrets.get(m.guid(), DeviceSecrets.Kind.AMT_ADMIN_PASSWORD)).isPresent();
                for (DeviceSecrets.Kind kind : DeviceSecrets.Kind.values()) {
                    secrets.get(m.guid(), kind).ifPresent(s -> passwords.add(new String(s.revealChars())));
                }
                assertThat(secrets.get(m.guid(), DeviceSecrets.Kind.MEBX_PASSWORD).isPresent()).isEqualTo(isAcm);
            }

            // the generated passwords are unique, meet AMT's rule, and appear nowhere in the run's traces
            assertThat(passwords).hasSize(5);
            assertThat(new HashSet<>(passwords)).hasSameSizeAs(passwords);
            assertThat(passwords).allMatch(p -> Passwords.meetsAmtRule(p.toCharArray()), "meets AMT's rule");
            audit.awaitAll("profile.applied", e -> e.path("type").asText().equals("profile.applied")
                    && (e.path("target").asText().endsWith(ccm.guid().value())
                    || e.path("target").asText().endsWith(acm.guid().value())), 2);
            audit.awaitAll("token redeemed", e -> e.path("type").asText().equals("agent.token.redeemed"), 2);
            List<String> traces = new ArrayList<>(logLines());
            String listed = devicesFromTheApi();
            assertThat(listed).contains(ccm.guid().value()).contains(acm.guid().value());
            traces.add(listed);
            traces.addAll(mqttSeen);
            audit.seen(e -> true).forEach(e -> traces.add(e.toString()));
            events.seen(e -> true).forEach(e -> traces.add(e.toString()));
            provisioning.seen(e -> true).forEach(e -> traces.add(e.toString()));
            // the relayed WS-Man (AddMpServer, SetMEBxPassword carry passwords for AMT) crosses Kafka sealed
            List<JsonNode> frames = relayed.seen(f -> f.path("guid").asText().equals(ccm.guid().value())
                    || f.path("guid").asText().equals(acm.guid().value()));
            assertThat(frames).hasSizeGreaterThan(10);
            frames.forEach(f -> traces.add(new String(java.util.Base64.getDecoder().decode(f.path("data").asText("")),
                    StandardCharsets.ISO_8859_1)));
            assertThat(traces).isNotEmpty();
            List<String> secretsToHide = new ArrayList<>(passwords);
            secretsToHide.addAll(tokensUsed);
            secretsToHide.add(new String(PFX_PASSWORD));
            for (String secret : secretsToHide) {
                assertThat(traces).noneMatch(t -> t.contains(secret));
            }
        }
    }

    @Test
    void aManagedMachineIsDeactivatedByARequestOverMqtt() throws Exception {
        // given a machine provisioned in CCM and connected over CIRA
        Machine m = machine();
        agent(m, token(m.guid()), SimulatedAgent.Behaviour.RELAY);
        assertThat(steps(provisionOverMqtt(m.guid(), "office-ccm"))).contains("done:succeeded");
        DeviceLeases leases = new DeviceLeases(database.dataSource());
        await().atMost(Duration.ofSeconds(60)).until(() -> leases.holder(m.guid()).isPresent());
        DeviceSecrets secrets = new DeviceSecrets(secretStore);
        assertThat(secrets.get(m.guid(), DeviceSecrets.Kind.AMT_ADMIN_PASSWORD)).isPresent();

        try (var audit = TopicWatch.open(NODE.kafka(), KafkaTopics.AUDIT, JsonNode.class)) {
            // when the operator publishes a deactivation request on MQTT
            ProvisioningRequest deactivation = ProvisioningRequest.deactivation(UUID.randomUUID(), TENANT, m.guid(), Instant.now());
            List<JsonNode> statuses = requestOverMqtt(deactivation);

            // then the worker unprovisions AMT (over CIRA: the device is managed) and forgets the device
            assertThat(steps(statuses)).as(statuses.toString()).containsExactly("deactivate:succeeded");
            assertThat(statuses.getFirst().path("requestId").asText()).isEqualTo(deactivation.id().toString());
            assertThat(m.device().controlMode()).isEqualTo(SimulatedDevice.ControlMode.NONE);
            assertThat(new org.amtbus.platform.device.DeviceRegistry(database.dataSource()).find(m.guid())).isEmpty();
            for (DeviceSecrets.Kind kind : DeviceSecrets.Kind.values()) {
                assertThat(secrets.get(m.guid(), kind)).as(kind.name()).isEmpty();
            }
            audit.awaitAll("profile.removed", e -> e.path("type").asText().equals("profile.removed")
                    && e.path("outcome").asText().equals("success")
                    && e.path("details").path("requestId").asText().equals(deactivation.id().toString()), 1);
        }

        // and a second deactivation of the now unknown device fails with a reason, changing nothing
        List<JsonNode> again = requestOverMqtt(ProvisioningRequest.deactivation(UUID.randomUUID(), TENANT, m.guid(), Instant.now()));
        assertThat(steps(again)).containsExactly("deactivate:failed");
        assertThat(again.getFirst().path("reason").asText()).contains("is not registered in tenant " + TENANT.value());
    }

    @Test
    void aTokenWorksOnceAndNotAfterItsExpiry() throws Exception {
        // given a token that one agent has used
        Machine m = machine();
        byte[] token = token(m.guid());
        try (var audit = TopicWatch.open(NODE.kafka(), KafkaTopics.AUDIT, JsonNode.class)) {
            agent(m, token, SimulatedAgent.Behaviour.RELAY).close();

            // when it is presented again, then the broker refuses it
            assertThatThrownBy(() -> agent(m, token, SimulatedAgent.Behaviour.RELAY)).isInstanceOf(IOException.class);

            // and a token issued long ago with a short life is refused too
            Machine late = machine();
            EnrollmentTokens past = new EnrollmentTokens(database.dataSource(), NODE.node.audit(),
                    Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC));
            byte[] expired = past.issue(TENANT, late.guid(), Duration.ofMinutes(5), OPERATOR).token().revealBytes();
            assertThatThrownBy(() -> agent(late, expired, SimulatedAgent.Behaviour.RELAY)).isInstanceOf(IOException.class);

            // and a token of one device does not log in another's agent
            Machine other = machine();
            byte[] foreign = token(m.guid());
            assertThatThrownBy(() -> agent(other, foreign, SimulatedAgent.Behaviour.RELAY)).isInstanceOf(IOException.class);

            List<JsonNode> refusals = audit.awaitAll("refusals", e -> e.path("type").asText().equals("agent.token.refused"), 3);
            assertThat(refusals).extracting(e -> e.path("reason").asText())
                    .containsExactlyInAnyOrder("already used", "expired", "other device");
            String tokenText = new String(token, StandardCharsets.US_ASCII);
            assertThat(audit.seen(e -> true)).noneMatch(e -> e.toString().contains(tokenText));
        }
    }

    @Test
    void anAgentCanUseOnlyItsOwnDevicesAgentTopics() throws Exception {
        // given an agent logged in for device A, as a plain MQTT client
        DeviceGuid a = DeviceGuid.of(UUID.randomUUID());
        DeviceGuid b = DeviceGuid.of(UUID.randomUUID());
        Mqtt5BlockingClient agentA = NODE.mqttClient(AgentName.of(a) + "-raw").simpleAuth().username(AgentName.of(a))
                .password(token(a)).applySimpleAuth().buildBlocking();
        agentA.connect();
        try (var audit = TopicWatch.open(NODE.kafka(), KafkaTopics.AUDIT, JsonNode.class)) {
            // when it subscribes to its own requests, B's requests, every device's agent topics, or operator topics
            Mqtt5SubAck own = agentA.subscribeWith().topicFilter(new AgentTopic(TENANT, a, AgentTopic.Kind.REQUESTS).name()).send();
            List<String> refusedFilters = List.of(new AgentTopic(TENANT, b, AgentTopic.Kind.REQUESTS).name(),
                    "amtbus/v1/" + TENANT.value() + "/devices/+/agent/#",
                    "amtbus/v1/" + TENANT.value() + "/provisioning/status/" + a.value(),
                    "amtbus/v1/" + TENANT.value() + "/devices/" + a.value() + "/commands");
            // then only its own is granted
            assertThat(own.getReasonCodes()).noneMatch(c -> c.isError());
            for (String filter : refusedFilters) {
                assertThatThrownBy(() -> agentA.subscribeWith().topicFilter(filter).send()).as(filter)
                        .isInstanceOf(Mqtt5SubAckException.class);
            }

            // and its publishes on B's agent topics, or as an operator, are dropped and audited, while its own go through
            // (QoS 0: the broker answers a refused QoS 1 publish with no PUBACK)
            agentA.publishWith().topic(new AgentTopic(TENANT, b, AgentTopic.Kind.RESPONSES).name()).qos(MqttQos.AT_MOST_ONCE)
                    .payload("{}".getBytes(StandardCharsets.UTF_8)).send();
            agentA.publishWith().topic(new AgentTopic(TENANT, b, AgentTopic.Kind.REPORT).name()).qos(MqttQos.AT_MOST_ONCE)
                    .payload("{}".getBytes(StandardCharsets.UTF_8)).send();
            agentA.publishWith().topic("amtbus/v1/" + TENANT.value() + "/provisioning/requests").qos(MqttQos.AT_MOST_ONCE)
                    .payload("{}".getBytes(StandardCharsets.UTF_8)).send();
            agentA.publishWith().topic(new AgentTopic(TENANT, a, AgentTopic.Kind.REPORT).name()).qos(MqttQos.AT_MOST_ONCE)
                    .payload("{}".getBytes(StandardCharsets.UTF_8)).send();
            List<JsonNode> denials = audit.awaitAll("publish denials", e -> e.path("type").asText().equals("acl.denied")
                    && e.path("actor").path("name").asText().equals(AgentName.of(a))
                    && e.path("reason").asText().startsWith("publish"), 3);
            assertThat(denials).extracting(e -> e.path("target").asText()).containsExactlyInAnyOrder(
                    new AgentTopic(TENANT, b, AgentTopic.Kind.RESPONSES).name(),
                    new AgentTopic(TENANT, b, AgentTopic.Kind.REPORT).name(),
                    "amtbus/v1/" + TENANT.value() + "/provisioning/requests");
        } finally {
            agentA.disconnect();
        }
    }

    @Test
    void anAgentVanishingMidRunFailsTheRunWithNothingLeftBehind() throws Exception {
        // given a machine whose agent drops off the broker when the first WS-Man request reaches it
        Machine m = machine();
        agent(m, token(m.guid()), SimulatedAgent.Behaviour.VANISH_AT_FIRST_REQUEST);

        // when it is provisioned over MQTT
        long started = System.nanoTime();
        List<JsonNode> statuses = provisionOverMqtt(m.guid(), "office-ccm");

        // then the run fails at activation without waiting out its exchange timeout, and is rolled back
        assertThat(steps(statuses)).as(statuses.toString()).containsSubsequence("activate:running", "activate:failed",
                "rollback:rolled-back");
        assertThat(statuses.stream().filter(s -> s.path("state").asText().equals("failed")).findFirst().orElseThrow()
                .path("reason").asText()).contains("agent");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(25));
        assertThat(m.device().controlMode()).isEqualTo(SimulatedDevice.ControlMode.NONE);
        assertThat(secretStore.list("devices/" + m.guid().value() + "/")).isEmpty();
        assertThat(new DeviceRegistry(database.dataSource()).find(m.guid())).isEmpty();
        assertThat(new ProvisioningRuns(database.dataSource()).find(m.guid())).isEmpty();
    }
}
