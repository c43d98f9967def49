package org.amtbus.bench.e2e;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
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
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.sim.amt.SimulatedDevice;
import org.amtbus.wsman.digest.Password;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated machines of the bench: registered in the node's registry (tag {@code bench}, tenant {@code default},
 * unique random passwords in its secret store) as {@code amtbus sim} does, once per data directory, and reused by
 * later runs, registered in batches whose secrets are stored with one write of the sealed store each.
 */
final class BenchDevices {

    private static final Logger LOG = LoggerFactory.getLogger(BenchDevices.class);
    static final String TAG = "bench";
    static final String TENANT = "default";
    /** Devices registered per write of the secret store. */
    private static final int BATCH = 2_000;

    private BenchDevices() {
    }

    /** The first {@code count} bench devices, registering the missing ones. */
    static List<SimulatedDevice> ensure(NodeProcess node, int count) {
        Path dataDir = node.dataDir;
        SecureRandom random = new SecureRandom();
        List<SimulatedDevice> fleet = new ArrayList<>(count);
        KafkaClients kafka = new KafkaClients(new KafkaConfig("127.0.0.1:" + node.kafkaPort, "amtbus-bench", Optional.empty()));
        try (Database database = Database.connectToRunningEmbedded(dataDir, node.databasePort);
             SealedFileSecretStore store = SealedFileSecretStore.open(dataDir.resolve("secrets"));
             Producer<String, byte[]> producer = kafka.producer("bench-audit");
             AuditLog audit = new AuditLog(producer, Clock.systemUTC(), "bench")) {
            DeviceRegistry registry = new DeviceRegistry(database.dataSource());
            DeviceSecrets secrets = new DeviceSecrets(store);
            AuditEvent.Actor actor = AuditEvent.Actor.system("bench");
            DeviceEnrollment enrollment = new DeviceEnrollment(registry, secrets, audit,
                    Clock.systemUTC());
            List<Device> devices = new ArrayList<>(registry.withTag(TAG, count));
            long start = System.nanoTime();
            while (devices.size() < count) {
                List<DeviceEnrollment.Registration> batch = new ArrayList<>();
                for (int i = 0; i < Math.min(BATCH, count - devices.size()); i++) {
                    DeviceGuid guid = DeviceGuid.of(UUID.randomUUID());
                    batch.add(new DeviceEnrollment.Registration(guid, new TenantId(TENANT), Device.defaultCiraUsername(guid),
                            Optional.empty(), List.of(TAG), Passwords.amtPassword(), Passwords.amtPassword()));
                }
                for (DeviceGuid guid : enrollment.registerAll(batch, actor)) {
                    devices.add(registry.find(guid).orElseThrow());
                }
                batch.forEach(r -> {
                    r.ciraPassword().destroy();
                    r.adminPassword().destroy();
                });
                LOG.info("registering bench devices [done: {}, of: {}, seconds: {}]", devices.size(), count,
                        (System.nanoTime() - start) / 1_000_000_000);
            }
            for (Device d : devices) {
                Secret cira = secrets.get(d.guid(), DeviceSecrets.Kind.CIRA_PASSWORD).orElseThrow();
                Secret admin = secrets.get(d.guid(), DeviceSecrets.Kind.AMT_ADMIN_PASSWORD).orElseThrow();
                SimulatedDevice template = SimulatedDevice.create(d.guid().toUuid(), Password.of(admin.revealChars()),
                        Password.of(cira.revealChars()), random);
                fleet.add(new SimulatedDevice(template.guid(), template.adminPassword(), d.ciraUsername(),
                        template.ciraPassword(), template.amtVersion(), template.controlMode(), template.powerState(),
                        template.realm(), template.hostName(), template.domainName()));
                cira.destroy();
                admin.destroy();
            }
            producer.flush();
        }
        return fleet;
    }
}
