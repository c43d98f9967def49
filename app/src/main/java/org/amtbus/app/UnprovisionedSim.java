package org.amtbus.app;

import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.amtbus.acl.enrollment.EnrollmentTokens;
import org.amtbus.platform.tls.CertificateAuthority;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.sim.agent.SimulatedAgent;
import org.amtbus.sim.amt.AmtWebService;
import org.amtbus.sim.amt.SimulatedDevice;

/**
 * {@code amtbus sim --unprovisioned}: factory-fresh simulated machines whose agents log in to the broker with
 * one-time enrollment tokens (issued here, audited as the CLI operator, or read from {@code --enroll-token-file}),
 * report themselves, and relay WS-Man to their local AMT once a provisioning request names them; after CIRA
 * configuration they dial the gateway they were told.
 */
final class UnprovisionedSim {

    private final SimCommand options;

    UnprovisionedSim(SimCommand options) {
        this.options = options;
    }

    int run() throws Exception {
        TenantId tenant = DeviceCommand.tenant(options.tenant);
        Path dir = DataDirectory.resolve(options.dataDir);
        NodeSettings settings = NodeSettings.load(dir, options.config);
        InetSocketAddress brokerAddress = SimCommand.address(options.broker, "--broker", settings.broker().host(),
                settings.broker().port());
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir.resolve("tls"), Clock.systemUTC());
        List<String> roots = options.trustedRoots.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        if (roots.stream().anyMatch(h -> !h.matches("[0-9a-f]{64}"))) {
            throw new StartupException(StartupException.CONFIGURATION, "--trusted-root-hash must be 64 hex digits (SHA-256)");
        }
        List<DeviceGuid> guids = new ArrayList<>();
        List<byte[]> tokens = new ArrayList<>();
        if (options.tokenFile != null) {
            if (options.guid == null) {
                throw new StartupException(StartupException.CONFIGURATION, "--enroll-token-file needs --guid (one machine)");
            }
            guids.add(DeviceCommand.parse(options.guid));
            try {
                tokens.add(Files.readAllBytes(options.tokenFile));
            } catch (IOException e) {
                throw new StartupException(StartupException.CONFIGURATION, "--enroll-token-file: cannot read "
                        + options.tokenFile);
            }
        } else {
            try (NodeConnection node = NodeConnection.open(options.dataDir, options.config)) {
                EnrollmentTokens issuer = new EnrollmentTokens(node.database.dataSource(), node.audit, Clock.systemUTC());
                int count = options.guid != null ? 1 : options.devices;
                for (int i = 0; i < count; i++) {
                    DeviceGuid g = options.guid != null ? DeviceCommand.parse(options.guid) : DeviceGuid.of(UUID.randomUUID());
                    guids.add(g);
                    tokens.add(issuer.issue(tenant, g, EnrollmentTokens.DEFAULT_LIFETIME, node.actor).token().revealBytes());
                }
            }
        }
        SecureRandom random = new SecureRandom();
        NioEventLoopGroup cira = new NioEventLoopGroup(Math.max(1, Runtime.getRuntime().availableProcessors()));
        List<SimulatedAgent> agents = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agents.forEach(SimulatedAgent::close);
            cira.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            stopped.countDown();
        }, "amtbus-sim-shutdown"));
        SimulatedAgent.Broker broker = new SimulatedAgent.Broker(brokerAddress.getHostString(), brokerAddress.getPort(),
                ca.certificate());
        for (int i = 0; i < guids.size(); i++) {
            SimulatedDevice device = SimulatedDevice.preProvisioned(guids.get(i).toUuid(), options.dnsSuffix, roots, random);
            byte[] token = new String(tokens.get(i), java.nio.charset.StandardCharsets.US_ASCII).strip()
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            try {
                agents.add(SimulatedAgent.connect(device, new AmtWebService(device, Clock.systemUTC(), random), tenant, broker,
                        token, SimulatedAgent.Behaviour.RELAY, cira));
            } catch (IOException e) {
                throw new StartupException(StartupException.ENVIRONMENT, OneLine.of(e));
            } finally {
                Arrays.fill(token, (byte) 0);
                Arrays.fill(tokens.get(i), (byte) 0);
            }
        }
        System.out.println("simulating " + agents.size() + " unprovisioned AMT machine(s); their agents are connected to "
                + brokerAddress.getHostString() + ":" + brokerAddress.getPort() + " (tenant " + tenant + ", DNS suffix "
                + options.dnsSuffix + "):");
        for (DeviceGuid g : guids) {
            System.out.println("  " + g);
        }
        System.out.println("Provision one with: amtbus provision GUID --profile PROFILE --tenant " + tenant
                + " --wait 60 (or publish a ProvisioningRequest on amtbus/v1/" + tenant
                + "/provisioning/requests, docs/provisioning.md). Press Ctrl-C to stop.");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
