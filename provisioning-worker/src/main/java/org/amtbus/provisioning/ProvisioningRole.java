package org.amtbus.provisioning;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.platform.device.DeviceRegistry;
import org.amtbus.platform.device.DeviceSecrets;
import org.amtbus.platform.kafka.KafkaClients;
import org.amtbus.platform.secret.SecretStore;
import org.amtbus.provisioning.profile.DomainStore;
import org.amtbus.provisioning.profile.ProfileAdmin;
import org.amtbus.provisioning.profile.ProfileStore;
import org.apache.kafka.clients.producer.Producer;

/**
 * The provisioning role of a node, in one call: the worker, the profile/domain admin, and the consumer of
 * provisioning requests on {@code amtbus.provisioning} (consumer group {@value #GROUP}; several nodes split
 * the partitions). Statuses go to the same topic, keyed by device GUID.
 */
public final class ProvisioningRole implements AutoCloseable {

    public static final String GROUP = "amtbus-provisioning";

    /** @param maxConcurrent requests applied at once per node (each holds a database connection at times) */
    public record Settings(int maxConcurrent) {
        public Settings {
            if (maxConcurrent < 1 || maxConcurrent > 256) {
                throw new IllegalArgumentException("provisioning.maxConcurrent must be 1-256");
            }
        }

        public static Settings defaults() {
            return new Settings(4);
        }
    }

    private final ProvisioningWorker worker;
    private final ProfileAdmin admin;
    private final ProvisioningRequests requests;
    private final Producer<String, byte[]> producer;

    private ProvisioningRole(ProvisioningWorker worker, ProfileAdmin admin, ProvisioningRequests requests,
                             Producer<String, byte[]> producer) {
        this.worker = worker;
        this.admin = admin;
        this.requests = requests;
        this.producer = producer;
    }

    /**
     * Starts the role.
     *
     * @param nodeCa   the node CA: the root devices trust for CIRA unless a profile names another
     * @param channels the agent relay ({@link DeviceChannels#NONE} until it exists)
     * @throws IllegalStateException when the request topic is not assigned within 60 s
     */
    public static ProvisioningRole start(Settings settings, DataSource database, SecretStore secrets, KafkaClients kafka,
                                         AuditLog audit, X509Certificate nodeCa, DeviceChannels channels, Clock clock) {
        Objects.requireNonNull(settings);
        ProfileStore profiles = new ProfileStore(database);
        DomainStore domains = new DomainStore(database, secrets);
        Producer<String, byte[]> producer = kafka.producer("provisioning");
        StatusPublisher status = new StatusPublisher(producer, clock);
        ProvisioningWorker worker = new ProvisioningWorker(profiles, domains, new ProvisioningRuns(database),
                new DeviceRegistry(database), new DeviceSecrets(secrets), status, audit, nodeCa, clock);
        ProvisioningRequests requests = new ProvisioningRequests(kafka.consumer(GROUP, KafkaClients.OffsetReset.EARLIEST),
                worker, channels, status, settings.maxConcurrent());
        requests.start();
        if (!requests.awaitReady(Duration.ofSeconds(60))) {
            requests.close();
            producer.close();
            throw new IllegalStateException("the provisioning request topic was not assigned within 60 s");
        }
        return new ProvisioningRole(worker, new ProfileAdmin(profiles, domains, audit), requests, producer);
    }

    /** Applies profiles and deactivates devices (the CLI's {@code amtbus provision} / {@code deprovision}). */
    public ProvisioningWorker worker() {
        return worker;
    }

    /** Profiles and domains (the CLI's {@code amtbus profile|domain}, the admin API). */
    public ProfileAdmin admin() {
        return admin;
    }

    @Override
    public void close() {
        requests.close();
        producer.close(Duration.ofSeconds(5));
    }
}
