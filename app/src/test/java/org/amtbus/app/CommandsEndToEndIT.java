package org.amtbus.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.amtbus.platform.db.Database;
import org.amtbus.platform.device.Device;
import org.amtbus.platform.device.DeviceEnrollment;
import org.amtbus.platform.device.DeviceLeases;
import org.amtbus.platform.device.DeviceRegistry;
import org.amtbus.platform.device.DeviceSecrets;
import org.amtbus.platform.kafka.KafkaClients;
import org.amtbus.platform.secret.Passwords;
import org.amtbus.platform.secret.SealedFileSecretStore;
import org.amtbus.platform.secret.Secret;
import org.amtbus.platform.tls.TlsContexts;
import org.amtbus.platform.tls.TlsPolicy;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.Command;
import org.amtbus.schemas.model.CommandAction;
import org.amtbus.schemas.model.CommandResult;
import org.amtbus.schemas.model.DeviceEvent;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.Presence;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.BridgeHeaders;
import org.amtbus.schemas.topic.KafkaTopics;
import org.amtbus.sim.amt.SimulatedDevice;
import org.amtbus.sim.cira.SimulatedFleet;
import org.amtbus.wsman.digest.Password;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole path with real parts: an MQTT client publishes a command, the broker bridges it to Kafka, the router
 * validates, authorizes and routes it, the gateway runs it as WS-Man over an APF channel on a simulated machine
 * connected over TLS, and the result and power event come back over MQTT.
 */
class CommandsEndToEndIT {

    @RegisterExtension
    static final RunningNode NODE = RunningNode.perClass();

    private static final TenantId TENANT = new TenantId("acme");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static Database database;
    private static SimulatedFleet fleet;
    private static final List<SimulatedDevice> DEVICES = new ArrayList<>();
    private static DeviceGuid offline;
    private static Mqtt5BlockingClient operator;

    @BeforeAll
    static void connectDevices() {
        database = NODE.database();
        try (SealedFileSecretStore store = SealedFileSecretStore.open(NODE.dataDir.resolve("secrets"))) {
            DeviceEnrollment enrollment = new DeviceEnrollment(new DeviceRegistry(database.dataSource()),
                    new DeviceSecrets(store), NODE.node.audit(), Clock.systemUTC());
            for (int i = 0; i < 3; i++) {
                DeviceGuid guid = DeviceGuid.of(UUID.randomUUID());
                Secret cira = Passwords.amtPassword();
                Secret admin = Passwords.amtPassword();
                enrollment.register(guid, TENANT, Device.defaultCiraUsername(guid), Optional.empty(), List.of("it"), cira, admin,
                        AuditEvent.Actor.system("test"));
                if (i == 2) {
                    offline = guid;
                    continue;
                }
                SimulatedDevice t = SimulatedDevice.create(guid.toUuid(), Password.of(admin.revealChars()),
                        Password.of(cira.revealChars()), RANDOM);
                DEVICES.add(new SimulatedDevice(t.guid(), t.adminPassword(), Device.defaultCiraUsername(guid), t.ciraPassword(),
                        t.amtVersion(), t.controlMode(), 2, t.realm(), t.hostName(), t.domainName()));
            }
        }
        fleet = new SimulatedFleet(TlsContexts.clientContext(NODE.caCertificate(), TlsPolicy.CIRA, Optional.empty()),
                new java.net.InetSocketAddress("127.0.0.1", NODE.ciraPort()), Duration.ofSeconds(5), 1);
        fleet.start(DEVICES);
        DeviceLeases leases = new DeviceLeases(database.dataSource());
        await().atMost(Duration.ofSeconds(60)).until(() -> DEVICES.stream()
                .allMatch(d -> leases.holder(DeviceGuid.of(d.guid())).isPresent()));
        operator = NODE.adminClient(RunningNode.newClientId());
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.disconnect();
        }
        if (fleet != null) {
            fleet.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private static String topic(DeviceGuid guid, String kind) {
        return "amtbus/v1/" + TENANT.value() + "/devices/" + guid.value() + "/" + kind;
    }

    private static Command command(DeviceGuid guid, CommandAction action) {
        return new Command(UUID.randomUUID(), TENANT, guid, action, 60, null, Instant.now());
    }

    private static void publish(DeviceGuid guid, byte[] payload) {
        operator.publishWith().topic(topic(guid, "commands")).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send();
    }

    /** Waits for the results on MQTT of the given command ids, in arrival order. */
    private static List<CommandResult> results(Mqtt5BlockingClient.Mqtt5Publishes publishes, int count, Duration atMost)
            throws Exception {
        List<CommandResult> out = new ArrayList<>();
        long end = System.nanoTime() + atMost.toNanos();
        while (out.size() < count && System.nanoTime() < end) {
            Optional<Mqtt5Publish> p = publishes.receive(1, TimeUnit.SECONDS);
            if (p.isPresent() && p.get().getTopic().toString().endsWith("/results")) {
                out.add(Json.read(p.get().getPayloadAsBytes(), CommandResult.class));
            }
        }
        return out;
    }

    private static CommandResult resultOf(DeviceGuid guid, byte[] payload, UUID commandId) throws Exception {
        try (var publishes = operator.publishes(MqttGlobalPublishFilter.ALL)) {
            operator.subscribeWith().topicFilter(topic(guid, "results")).qos(MqttQos.AT_LEAST_ONCE).send();
            publish(guid, payload);
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < end) {
                for (CommandResult r : results(publishes, 1, Duration.ofSeconds(5))) {
                    if (commandId == null || r.commandId().equals(commandId)) {
                        return r;
                    }
                }
            }
            throw new AssertionError("no result for " + commandId);
        } finally {
            operator.unsubscribeWith().topicFilter(topic(guid, "results")).send();
        }
    }

    @ParameterizedTest
    @EnumSource(value = CommandAction.class, names = {"POWER_STATE", "AMT_INFO", "AMT_SETTINGS", "POWER_RESET",
            "POWER_RESET_BIOS", "POWER_CYCLE", "POWER_OFF_HARD", "POWER_ON", "POWER_OFF", "POWER_BIOS"})
    void everyCatalogueActionFromMqttToTheDeviceAndBack(CommandAction action) throws Exception {
        SimulatedDevice device = DEVICES.get(0);
        DeviceGuid guid = DeviceGuid.of(device.guid());
        boolean powersUp = action == CommandAction.POWER_ON || action == CommandAction.POWER_BIOS;
        if (powersUp && device.powerState() == 2) {
            Command off = command(guid, CommandAction.POWER_OFF_HARD);
            assertThat(resultOf(guid, Json.write(off), off.id()).status()).isEqualTo(CommandResult.Status.SUCCEEDED);
        }
        if (!powersUp && device.powerState() != 2 && action != CommandAction.POWER_STATE && action != CommandAction.AMT_INFO
                && action != CommandAction.AMT_SETTINGS) {
            Command on = command(guid, CommandAction.POWER_ON);
            assertThat(resultOf(guid, Json.write(on), on.id()).status()).isEqualTo(CommandResult.Status.SUCCEEDED);
        }
        Command c = command(guid, action);
        CommandResult result = resultOf(guid, Json.write(c), c.id());
        assertThat(result.status()).as(String.valueOf(result.reason())).isEqualTo(CommandResult.Status.SUCCEEDED);
        assertThat(result.guid()).isEqualTo(guid);
        assertThat(result.gatewayId()).isNotNull();
    }

    @Test
    void aPowerResetIsAnsweredAndAnnouncedAsAPowerEventOverMqtt() throws Exception {
        DeviceGuid guid = DeviceGuid.of(DEVICES.get(1).guid());
        int bootsBefore = DEVICES.get(1).boots();
        try (var publishes = operator.publishes(MqttGlobalPublishFilter.ALL)) {
            operator.subscribeWith().topicFilter(topic(guid, "events")).qos(MqttQos.AT_LEAST_ONCE).send();
            Command reset = command(guid, CommandAction.POWER_RESET);
            assertThat(resultOf(guid, Json.write(reset), reset.id()).status()).isEqualTo(CommandResult.Status.SUCCEEDED);
            // this stream sees every publish of the client, the result included: take the one on the events topic
            Optional<Mqtt5Publish> event = Optional.empty();
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (event.isEmpty() && System.nanoTime() < end) {
                event = publishes.receive(1, TimeUnit.SECONDS).filter(p -> p.getTopic().toString().endsWith("/events"));
            }
            assertThat(event).isPresent();
            DeviceEvent e = Json.read(event.get().getPayloadAsBytes(), DeviceEvent.class);
            assertThat(e.type()).isEqualTo(DeviceEvent.Type.POWER_STATE);
            assertThat(e.data()).containsEntry("commandId", reset.id().toString()).containsEntry("powerState", "on");
            assertThat(DEVICES.get(1).boots()).isEqualTo(bootsBefore + 1);
        } finally {
            operator.unsubscribeWith().topicFilter(topic(guid, "events")).send();
        }
    }

    @Test
    void presenceIsRetainedOnMqtt() throws Exception {
        DeviceGuid guid = DeviceGuid.of(DEVICES.get(0).guid());
        try (var publishes = operator.publishes(MqttGlobalPublishFilter.ALL)) {
            operator.subscribeWith().topicFilter(topic(guid, "presence")).qos(MqttQos.AT_LEAST_ONCE).send();
            Presence p = null;
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (p == null && System.nanoTime() < end) {
                Optional<Mqtt5Publish> m = publishes.receive(1, TimeUnit.SECONDS);
                if (m.isPresent() && m.get().isRetain()) {
                    p = Json.read(m.get().getPayloadAsBytes(), Presence.class);
                }
            }
            assertThat(p).isNotNull();
            assertThat(p.state()).isEqualTo(Presence.State.CONNECTED);
        } finally {
            operator.unsubscribeWith().topicFilter(topic(guid, "presence")).send();
        }
    }

    @Test
    void aRepeatedCommandIdRunsOnceAndTheRequesterSeesTheFirstResultAgain() throws Exception {
        SimulatedDevice device = DEVICES.get(1);
        DeviceGuid guid = DeviceGuid.of(device.guid());
        Command reset = command(guid, CommandAction.POWER_RESET);
        CommandResult first = resultOf(guid, Json.write(reset), reset.id());
        int boots = device.boots();
        CommandResult again = resultOf(guid, Json.write(reset), reset.id());
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.status()).isEqualTo(first.status());
        assertThat(device.boots()).as("no second execution").isEqualTo(boots);
    }

    @Test
    void anExpiredCommandIsAnsweredExpired() throws Exception {
        DeviceGuid guid = DeviceGuid.of(DEVICES.get(0).guid());
        Command old = new Command(UUID.randomUUID(), TENANT, guid, CommandAction.POWER_STATE, 5, null,
                Instant.now().minusSeconds(60));
        assertThat(resultOf(guid, Json.write(old), old.id()).status()).isEqualTo(CommandResult.Status.EXPIRED);
    }

    @Test
    void aDeviceThatIsNotConnectedIsAnsweredOffline() throws Exception {
        Command c = command(offline, CommandAction.POWER_ON);
        CommandResult r = resultOf(offline, Json.write(c), c.id());
        assertThat(r.status()).isEqualTo(CommandResult.Status.OFFLINE);
        assertThat(r.reason()).contains("no gateway");
    }

    @Test
    void malformedPayloadsAreRejectedNamingTheField() throws Exception {
        DeviceGuid guid = DeviceGuid.of(DEVICES.get(0).guid());
        UUID id = UUID.randomUUID();
        String base = "{\"schema\":\"amtbus.command/v1\",\"id\":\"" + id + "\",\"tenant\":\"acme\",\"guid\":\"" + guid.value()
                + "\",\"time\":\"" + Instant.now() + "\",";
        CommandResult unknownAction = resultOf(guid, (base + "\"action\":\"power.explode\"}").getBytes(StandardCharsets.UTF_8), id);
        assertThat(unknownAction.status()).isEqualTo(CommandResult.Status.REJECTED);
        assertThat(unknownAction.field()).isEqualTo("/action");

        UUID id2 = UUID.randomUUID();
        String otherTenant = base.replace(id.toString(), id2.toString()).replace("\"tenant\":\"acme\"", "\"tenant\":\"other\"")
                + "\"action\":\"power.on\"}";
        CommandResult wrongTenant = resultOf(guid, otherTenant.getBytes(StandardCharsets.UTF_8), id2);
        assertThat(wrongTenant.status()).isEqualTo(CommandResult.Status.REJECTED);
        assertThat(wrongTenant.field()).isEqualTo("/tenant");

        UUID id3 = UUID.randomUUID();
        String otherGuid = base.replace(id.toString(), id3.toString()).replace(guid.value(), UUID.randomUUID().toString())
                + "\"action\":\"power.on\"}";
        CommandResult wrongGuid = resultOf(guid, otherGuid.getBytes(StandardCharsets.UTF_8), id3);
        assertThat(wrongGuid.field()).isEqualTo("/guid");

        UUID id4 = UUID.randomUUID();
        String oversize = base.replace(id.toString(), id4.toString()) + "\"action\":\"power.on\",\"params\":{\"x\":\""
                + "a".repeat(300) + "\"}}";
        CommandResult tooBig = resultOf(guid, oversize.getBytes(StandardCharsets.UTF_8), id4);
        assertThat(tooBig.status()).isEqualTo(CommandResult.Status.REJECTED);
        assertThat(tooBig.field()).startsWith("/params");

        CommandResult notJson = resultOf(guid, "{not json".getBytes(StandardCharsets.UTF_8), null);
        assertThat(notJson.status()).isEqualTo(CommandResult.Status.REJECTED);
        assertThat(NODE.scrapeMetrics()).contains("amtbus_router_rejected_total");
    }

    @Test
    void commandsThatBypassTheBrokerAreReauthorized() throws Exception {
        DeviceGuid guid = DeviceGuid.of(DEVICES.get(0).guid());
        KafkaClients kafka = NODE.kafka();
        try (Producer<String, byte[]> producer = kafka.producer("test");
             var publishes = operator.publishes(MqttGlobalPublishFilter.ALL)) {
            operator.subscribeWith().topicFilter(topic(guid, "results")).qos(MqttQos.AT_LEAST_ONCE).send();
            Command anonymous = command(guid, CommandAction.POWER_OFF_HARD);
            producer.send(new ProducerRecord<>(KafkaTopics.COMMANDS, guid.value(), Json.write(anonymous)));
            Command stranger = command(guid, CommandAction.POWER_OFF_HARD);
            ProducerRecord<String, byte[]> r = new ProducerRecord<>(KafkaTopics.COMMANDS, guid.value(), Json.write(stranger));
            r.headers().add(BridgeHeaders.PRINCIPAL, "nobody-here".getBytes(StandardCharsets.UTF_8));
            producer.send(r);
            producer.flush();
            List<CommandResult> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                seen.addAll(results(publishes, 1, Duration.ofSeconds(1)));
                return seen.stream().filter(x -> x.commandId().equals(anonymous.id()) || x.commandId().equals(stranger.id()))
                        .count() == 2;
            });
            assertThat(seen).filteredOn(x -> x.commandId().equals(anonymous.id()) || x.commandId().equals(stranger.id()))
                    .allSatisfy(x -> assertThat(x.status()).isEqualTo(CommandResult.Status.REJECTED));
            assertThat(DEVICES.get(0).powerState()).isNotEqualTo(8);
        } finally {
            operator.unsubscribeWith().topicFilter(topic(guid, "results")).send();
        }
    }

    @Test
    void oneDevicesCommandsKeepTheirOrder() throws Exception {
        DeviceGuid guid = DeviceGuid.of(DEVICES.get(1).guid());
        try (var publishes = operator.publishes(MqttGlobalPublishFilter.ALL)) {
            operator.subscribeWith().topicFilter(topic(guid, "results")).qos(MqttQos.AT_LEAST_ONCE).send();
            List<UUID> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Command c = command(guid, CommandAction.POWER_STATE);
                sent.add(c.id());
                publish(guid, Json.write(c));
            }
            List<CommandResult> got = results(publishes, 20, Duration.ofSeconds(90));
            assertThat(got).extracting(CommandResult::commandId).containsExactlyElementsOf(sent);
            assertThat(got).allSatisfy(r -> assertThat(r.status()).isEqualTo(CommandResult.Status.SUCCEEDED));
        } finally {
            operator.unsubscribeWith().topicFilter(topic(guid, "results")).send();
        }
    }
}
