package org.amtbus.provisioning;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.amtbus.acl.level.AccessLoader;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.platform.device.DeviceRegistry;
import org.amtbus.platform.device.DeviceSecrets;
import org.amtbus.platform.kafka.KafkaClients;
import org.amtbus.platform.secret.SecretStore;
import org.amtbus.provisioning.cira.CiraRelay;
import org.amtbus.provisioning.profile.DomainStore;
import org.amtbus.provisioning.profile.ProfileAdmin;
import org.amtbus.provisioning.profile.ProfileStore;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;
import org.apache.kafka.clients.producer.Producer;

/**
 * The provisioning role of a node, in one call: the worker, the profile/domain admin, and the consumer of
 * provisioning requests on {@code amtbus.provisioning} (consumer group {@value #GROUP}; several nodes split
 * the partitions). Statuses go to the same topic, keyed by device GUID.
 */
public final class ProvisioningRole implements AutoCloseable {

    public static final String GROUP = "amtbus-provisioning";

    /**
     * @param maxConcurrent requests applied at once per node (each holds a database connection at times)
     * @param runLease      a running run without a heartbeat for this long is rolled back by a live worker
     *                      ({@link StaleRuns}); 5 s to 1 h
     */
    public record Settings(int maxConcurrent, Duration runLease) {
        /** The default lease: four missed heartbeats of 15 s. */
        public static final Duration DEFAULT_RUN_LEASE = Duration.ofSeconds(60);

        public Settings {
            if (maxConcurrent < 1 || maxConcurrent > 256) {
                throw new IllegalArgumentException("provisioning.maxConcurrent must be 1-256");
            }
            if (runLease.compareTo(Duration.ofSeconds(2)) < 0 || runLease.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("provisioning.runLease must be 2 s to 1 h");
            }
        }

        public Settings(int maxConcurrent) {
            this(maxConcurrent, DEFAULT_RUN_LEASE);
        }

        public static Settings defaults() {
            return new Settings(4);
        }
    }

    private final ProvisioningWorker worker;
    private final ProfileAdmin admin;
    private final ProvisioningRequests requests;
    private final DevicePaths paths;
    private final StaleRuns staleRuns;
    private final Producer<String, byte[]> producer;

    private ProvisioningRole(ProvisioningWorker worker, ProfileAdmin admin, ProvisioningRequests requests, StaleRuns staleRuns,
                             Producer<String, byte[]> producer, DevicePaths paths) {
        this.paths = paths;
        this.worker = worker;
        this.admin = admin;
        this.requests = requests;
        this.staleRuns = staleRuns;
        this.producer = producer;
    }

    /**
     * Starts the role.
     *
     * @param access   accounts and grants, to re-authorize each request's publisher ({@link RequestAuthorizer})
     * @param nodeCa   the node CA: the root devices trust for CIRA unless a profile names another
     * @param channels the agent relay ({@link DeviceChannels#NONE} until it exists)
     * @throws IllegalStateException when the request topic is not assigned within 60 s
     */
    public static ProvisioningRole start(Settings settings, DataSource database, SecretStore secrets, KafkaClients kafka,
                                         AuditLog audit, AccessLoader access, X509Certificate nodeCa, DeviceChannels channels,
                                         Clock clock) {
        return start(settings, database, secrets, kafka, audit, access, nodeCa, channels, Optional.empty(), clock);
    }

    /**
     * Starts the role with a second path to managed devices: WS-Man through the gateway holding their CIRA
     * connection, for reconfiguration ({@link ProvisioningWorker#reconfigure}).
     *
     * @param cira the started CIRA relay of this node (its owner closes it)
     */
    public static ProvisioningRole start(Settings settings, DataSource database, SecretStore secrets, KafkaClients kafka,
                                         AuditLog audit, AccessLoader access, X509Certificate nodeCa, DeviceChannels channels,
                                         Optional<CiraRelay> cira, Clock clock) {
        Objects.requireNonNull(settings);
        ProfileStore profiles = new ProfileStore(database);
        DomainStore domains = new DomainStore(database, secrets);
        Producer<String, byte[]> producer = kafka.producer("provisioning");
        StatusPublisher status = new StatusPublisher(producer, clock);
        ProvisioningRuns runs = new ProvisioningRuns(database);
        ProvisioningWorker worker = new ProvisioningWorker(profiles, domains, runs,
                new DeviceRegistry(database), new DeviceSecrets(secrets), status, audit, nodeCa, clock);
        // runs left behind by a dead worker are rolled back from the start on, before new requests arrive
        DevicePaths paths = new DevicePaths(channels, cira);
        StaleRuns staleRuns = new StaleRuns(worker, runs, paths, settings.runLease()).start();
        ProvisioningRequests requests = new ProvisioningRequests(kafka.consumer(GROUP, KafkaClients.OffsetReset.EARLIEST),
                worker, paths, status, new RequestAuthorizer(access), audit, settings.maxConcurrent());
        requests.start();
        if (!requests.awaitReady(Duration.ofSeconds(60))) {
            requests.close();
            staleRuns.close();
            producer.close();
            throw new IllegalStateException("the provisioning request topic was not assigned within 60 s");
        }
        return new ProvisioningRole(worker, new ProfileAdmin(profiles, domains, audit), requests, staleRuns, producer, paths);
    }

    /** Applies profiles and deactivates devices (the CLI's {@code amtbus provision} / {@code deprovision}). */
    public ProvisioningWorker worker() {
        return worker;
    }

    /**
     * Deactivates a managed device: {@code Unprovision} through the gateway holding its CIRA connection, or else
     * through its agent; then its registration, secrets and run are removed. With neither path, a failure.
     */
    public ProvisioningOutcome deactivate(TenantId tenant, DeviceGuid guid, AuditEvent.Actor actor) {
        return worker.deactivate(tenant, guid, paths.managed(tenant, guid), actor);
    }

    /** Profiles and domains (the CLI's {@code amtbus profile|domain}, the admin API). */
    public ProfileAdmin admin() {
        return admin;
    }

    /** Requests refused by re-authorization (metric {@code amtbus.provisioning.requests.refused}). */
    public long refusedRequests() {
        return requests.refusedCount();
    }

    /** Requests dropped as unreadable or naming another tenant than their topic. */
    public long invalidRequests() {
        return requests.invalidCount();
    }

    /** Runs of dead workers this node rolled back. */
    public long recoveredRuns() {
        return staleRuns.recoveredCount();
    }

    @Override
    public void close() {
        requests.close();
        staleRuns.close();
        producer.close(Duration.ofSeconds(5));
    }
}
