package org.amtbus.app;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.amtbus.platform.device.Device;
import org.amtbus.platform.device.DeviceEnrollment;
import org.amtbus.platform.device.DeviceRegistry;
import org.amtbus.platform.device.DeviceSecrets;
import org.amtbus.platform.secret.Passwords;
import org.amtbus.platform.secret.SecretStore;
import org.amtbus.platform.secret.Secret;
import org.amtbus.platform.tls.CertificateAuthority;
import org.amtbus.platform.tls.TlsContexts;
import org.amtbus.platform.tls.TlsPolicy;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.sim.amt.SimulatedDevice;
import org.amtbus.sim.cira.SimulatedFleet;
import org.amtbus.wsman.digest.Password;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code amtbus sim --devices N}: simulated AMT machines that dial the node's CIRA port over TLS and answer
 * WS-Man like firmware. On first use it registers the machines (tag {@code sim}, random GUIDs, unique random
 * passwords in the secret store) and reuses them afterwards, as a factory would have provisioned them.
 */
@Command(name = "sim", mixinStandardHelpOptions = true,
        description = "Run simulated AMT devices against the node (registers them on first use, tag 'sim').")
final class SimCommand implements Callable<Integer> {

    static final String TAG = "sim";
    /** Devices registered per write of the secret store (the sealed file rewrites itself per write). */
    private static final int REGISTER_BATCH = 2_000;

    @Option(names = "--devices", defaultValue = "3", description = "how many devices (default 3)") int devices;
    @Option(names = "--tenant", defaultValue = "default", description = "tenant of newly registered devices") String tenant;
    @Option(names = "--gateway", description = "host:port of the CIRA listener (default: this node's)") String gateway;
    @Option(names = "--data-dir", paramLabel = "DIR") Path dataDir;
    @Option(names = "--config", paramLabel = "FILE") Path config;
    @Option(names = "--unprovisioned", description = "factory-fresh machines (AMT not activated) whose agents log in to the "
            + "broker with one-time enrollment tokens and wait for a provisioning request") boolean unprovisioned;
    @Option(names = "--guid", description = "with --unprovisioned: simulate this one machine (needed with --enroll-token-file)")
    String guid;
    @Option(names = "--enroll-token-file", paramLabel = "FILE", description = "with --unprovisioned: a token from "
            + "'amtbus device enroll GUID --token-file FILE' for the machine --guid names (else the sim issues its own)")
    Path tokenFile;
    @Option(names = "--dns-suffix", defaultValue = "corp.example", description = "with --unprovisioned: the DNS suffix the "
            + "agents report (selects the ACM domain; default corp.example)") String dnsSuffix;
    @Option(names = "--trusted-root-hash", description = "with --unprovisioned: a SHA-256 (hex) of a provisioning root the "
            + "firmware trusts (repeatable; ACM needs your domain's root)") List<String> trustedRoots = new ArrayList<>();
    @Option(names = "--broker", description = "with --unprovisioned: host:port of the MQTT broker (default: this node's)")
    String broker;

    @Override
    public Integer call() throws Exception {
        if (devices < 1 || devices > 100_000) {
            throw new StartupException(StartupException.CONFIGURATION, "--devices must be 1-100000");
        }
        if (unprovisioned) {
            return new UnprovisionedSim(this).run();
        }
        TenantId tenantId = DeviceCommand.tenant(tenant);
        Path dir = DataDirectory.resolve(dataDir);
        NodeSettings settings = NodeSettings.load(dir, config);
        List<SimulatedDevice> fleet = new ArrayList<>();
        SecureRandom random = new SecureRandom();
        try (NodeConnection node = NodeConnection.open(dataDir, config);
             SecretStore store = SecretCommand.open(dataDir, config)) {
            DeviceRegistry registry = new DeviceRegistry(node.database.dataSource());
            DeviceSecrets secrets = new DeviceSecrets(store);
            DeviceEnrollment enrollment = new DeviceEnrollment(registry, secrets, node.audit, Clock.systemUTC());
            List<Device> existing = new ArrayList<>(registry.withTag(TAG, devices));
            while (existing.size() < devices) {
                List<DeviceEnrollment.Registration> batch = new ArrayList<>();
                for (int i = 0; i < Math.min(REGISTER_BATCH, devices - existing.size()); i++) {
                    DeviceGuid guid = DeviceGuid.of(UUID.randomUUID());
                    batch.add(new DeviceEnrollment.Registration(guid, tenantId, Device.defaultCiraUsername(guid),
                            Optional.empty(), List.of(TAG), Passwords.amtPassword(), Passwords.amtPassword()));
                }
                for (DeviceGuid guid : enrollment.registerAll(batch, node.actor)) {
                    existing.add(registry.find(guid).orElseThrow());
                }
                batch.forEach(r -> {
                    r.ciraPassword().destroy();
                    r.adminPassword().destroy();
                });
            }
            for (Device d : existing) {
                Secret cira = secrets.get(d.guid(), DeviceSecrets.Kind.CIRA_PASSWORD).orElseThrow(() -> new StartupException(
                        StartupException.CONFIGURATION, "device " + d.guid() + " has no CIRA password in the secret store"));
                Secret admin = secrets.get(d.guid(), DeviceSecrets.Kind.AMT_ADMIN_PASSWORD).orElseThrow(() -> new StartupException(
                        StartupException.CONFIGURATION, "device " + d.guid() + " has no AMT admin password in the secret store"));
                SimulatedDevice template = SimulatedDevice.create(d.guid().toUuid(), Password.of(admin.revealChars()),
                        Password.of(cira.revealChars()), random);
                fleet.add(new SimulatedDevice(template.guid(), template.adminPassword(), d.ciraUsername(),
                        template.ciraPassword(), template.amtVersion(), template.controlMode(), template.powerState(),
                        template.realm(), template.hostName(), template.domainName()));
                cira.destroy();
                admin.destroy();
            }
        }
        InetSocketAddress target = gatewayAddress(settings);
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir.resolve("tls"), Clock.systemUTC());
        SimulatedFleet sims = new SimulatedFleet(TlsContexts.clientContext(ca.certificate(), TlsPolicy.CIRA, Optional.empty()),
                target, Duration.ofSeconds(30), Math.max(1, Runtime.getRuntime().availableProcessors()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sims.close();
            stopped.countDown();
        }, "amtbus-sim-shutdown"));
        sims.start(fleet);
        System.out.println("simulating " + fleet.size() + " AMT device(s) dialling " + target.getHostString() + ":"
                + target.getPort() + ":");
        for (SimulatedDevice d : fleet) {
            System.out.println("  " + d.guid() + "  AMT " + d.amtVersion() + "  " + d.controlMode());
        }
        System.out.println("Press Ctrl-C to stop.");
        System.out.flush();
        stopped.await();
        return 0;
    }

    private InetSocketAddress gatewayAddress(NodeSettings settings) {
        return address(gateway, "--gateway", settings.cira().host(), settings.cira().port());
    }

    /** {@code option} as host:port, or the node's listener ({@code host}:{@code port}, loopback for the wildcard). */
    static InetSocketAddress address(String option, String name, InetAddress host, int port) {
        if (option != null) {
            int colon = option.lastIndexOf(':');
            try {
                return new InetSocketAddress(option.substring(0, colon), Integer.parseInt(option.substring(colon + 1)));
            } catch (RuntimeException e) {
                throw new StartupException(StartupException.CONFIGURATION, name + " must be host:port");
            }
        }
        return new InetSocketAddress(host.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : host, port);
    }
}
