package org.amtbus.compose;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.platform.db.Database;
import org.amtbus.platform.device.Device;
import org.amtbus.platform.device.DeviceEnrollment;
import org.amtbus.platform.device.DeviceRegistry;
import org.amtbus.platform.device.DeviceSecrets;
import org.amtbus.platform.kafka.KafkaClients;
import org.amtbus.platform.kafka.KafkaConfig;
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
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.sim.amt.SimulatedDevice;
import org.amtbus.sim.cira.SimulatedFleet;
import org.amtbus.wsman.digest.Password;
import org.apache.kafka.clients.producer.Producer;

/** What the topology tests do from the outside: machines dialling the gateways, operators on the brokers. */
final class TopologyClients {

    private TopologyClients() {
    }

    static KafkaClients kafka(ProcessTopology topology) {
        return new KafkaClients(KafkaConfig.of(topology.kafkaBootstrap));
    }

    static X509Certificate ca(ProcessTopology topology) {
        try (InputStream in = Files.newInputStream(topology.dataDir.resolve("tls/ca.crt"))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An MQTT 5 client over TLS 1.3 to one broker, not yet connected. */
    static Mqtt5BlockingClient mqtt(ProcessTopology topology, AmtbusProcess broker, String clientId, String user,
            byte[] password) {
        return MqttClient.builder().useMqttVersion5().identifier(clientId)
                .serverHost("127.0.0.1").serverPort(topology.mqttPort(broker))
                .sslConfig().trustManagerFactory(TlsContexts.trustManagerFactory(ca(topology))).protocols(List.of("TLSv1.3"))
                .applySslConfig()
                .simpleAuth().username(user).password(password).applySimpleAuth().buildBlocking();
    }

    /** The superuser, connected to one broker. */
    static Mqtt5BlockingClient operator(ProcessTopology topology, AmtbusProcess broker, String clientId) {
        Mqtt5BlockingClient c = mqtt(topology, broker, clientId, "admin",
                topology.adminPassword().getBytes(StandardCharsets.UTF_8));
        c.connect();
        return c;
    }

    static String topic(TenantId tenant, DeviceGuid guid, String kind) {
        return "amtbus/v1/" + tenant.value() + "/devices/" + guid.value() + "/" + kind;
    }

    /**
     * Registers {@code count} machines of {@code tenant} (random passwords in the shared secret store) and returns
     * simulated machines that know them.
     */
    static List<SimulatedDevice> enroll(ProcessTopology topology, Database database, TenantId tenant, int count) {
        SecureRandom random = new SecureRandom();
        List<SimulatedDevice> machines = new ArrayList<>();
        try (SealedFileSecretStore store = SealedFileSecretStore.open(topology.dataDir.resolve("secrets"));
             Producer<String, byte[]> producer = kafka(topology).producer("test");
             AuditLog audit = new AuditLog(producer, Clock.systemUTC(), "topology-it")) {
            DeviceEnrollment enrollment = new DeviceEnrollment(new DeviceRegistry(database.dataSource()), new DeviceSecrets(store),
                    audit, Clock.systemUTC());
            for (int i = 0; i < count; i++) {
                DeviceGuid guid = DeviceGuid.of(UUID.randomUUID());
                Secret cira = Passwords.amtPassword();
                Secret admin = Passwords.amtPassword();
                enrollment.register(guid, tenant, Device.defaultCiraUsername(guid), Optional.empty(), List.of("it"), cira, admin,
                        AuditEvent.Actor.system("test"));
                SimulatedDevice t = SimulatedDevice.create(guid.toUuid(), Password.of(admin.revealChars()),
                        Password.of(cira.revealChars()), random);
                machines.add(new SimulatedDevice(t.guid(), t.adminPassword(), Device.defaultCiraUsername(guid), t.ciraPassword(),
                        t.amtVersion(), t.controlMode(), 2, t.realm(), t.hostName(), t.domainName()));
            }
        }
        return machines;
    }

    /** The machines dialling every gateway of the topology, spread over them. */
    static SimulatedFleet dial(ProcessTopology topology, List<SimulatedDevice> machines) {
        SimulatedFleet fleet = new SimulatedFleet(TlsContexts.clientContext(ca(topology), TlsPolicy.CIRA, Optional.empty()),
                topology.gateways.stream().map(topology::ciraAddress).toList(), Duration.ofSeconds(2), 1);
        fleet.start(machines);
        return fleet;
    }

    /** Sends a command through one broker and returns its result as received there, within {@code within}. */
    static CommandResult run(Mqtt5BlockingClient operator, TenantId tenant, DeviceGuid guid, CommandAction action,
            Duration within) throws IOException {
        Command c = new Command(UUID.randomUUID(), tenant, guid, action, 60, null, Instant.now());
        try (var publishes = operator.publishes(MqttGlobalPublishFilter.ALL)) {
            operator.subscribeWith().topicFilter(topic(tenant, guid, "results")).qos(MqttQos.AT_LEAST_ONCE).send();
            operator.publishWith().topic(topic(tenant, guid, "commands")).qos(MqttQos.AT_LEAST_ONCE).payload(Json.write(c)).send();
            long end = System.nanoTime() + within.toNanos();
            while (System.nanoTime() < end) {
                Optional<Mqtt5Publish> p = publishes.receive(1, TimeUnit.SECONDS);
                if (p.isPresent()) {
                    CommandResult r = Json.read(p.get().getPayloadAsBytes(), CommandResult.class);
                    if (r.commandId().equals(c.id())) {
                        return r;
                    }
                }
            }
            throw new AssertionError("no result for " + action + " on " + guid + " within " + within);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            operator.unsubscribeWith().topicFilter(topic(tenant, guid, "results")).send();
        }
    }

    /** Disconnects the operators (their broker may be gone), then closes each part that was started, in order. */
    static void stopAll(List<Mqtt5BlockingClient> operators, AutoCloseable... parts) {
        operators.forEach(c -> {
            try {
                c.disconnect();
            } catch (RuntimeException ignored) {
                // the broker may be gone
            }
        });
        for (AutoCloseable part : parts) {
            if (part == null) {
                continue;
            }
            try {
                part.close();
            } catch (Exception e) {
                System.err.println("could not stop " + part + ": " + e);
            }
        }
    }
}
