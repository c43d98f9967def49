package org.amtbus.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.amtbus.acl.enrollment.EnrollmentTokens;
import org.amtbus.platform.device.Device;
import org.amtbus.platform.device.DeviceEnrollment;
import org.amtbus.platform.device.DeviceLeases;
import org.amtbus.platform.device.DeviceRegistry;
import org.amtbus.platform.device.DeviceSecrets;
import org.amtbus.platform.secret.Passwords;
import org.amtbus.platform.secret.SecretStore;
import org.amtbus.platform.secret.Secret;
import org.amtbus.platform.tls.OwnerOnlyFiles;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code amtbus device}: the device registry. A device must be registered (GUID, tenant, CIRA user name, and
 * its CIRA and AMT admin passwords in the secret store) before the gateway lets it in.
 */
@Command(name = "device", mixinStandardHelpOptions = true, description = "Register, list and remove AMT devices.",
        subcommands = {DeviceCommand.Add.class, DeviceCommand.ListDevices.class, DeviceCommand.Remove.class,
                DeviceCommand.Enroll.class})
final class DeviceCommand {

    static final String CREDENTIALS_DIR = "device-credentials";

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Register a device. Its CIRA and AMT admin passwords are generated (unique, random, AMT's rules) and "
                    + "written once to a 0600 file for configuring the machine, or, with --credentials-from-stdin, read "
                    + "from standard input as two lines: the CIRA password, then the AMT admin password.")
    static final class Add extends NodeCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "GUID", description = "the AMT GUID, e.g. 4c4c4544-004b-4210-8033-b6c04f504633")
        String guid;
        @Option(names = "--tenant", required = true) String tenant;
        @Option(names = "--hostname") String hostname;
        @Option(names = "--tag", description = "a tag (repeatable)") List<String> tags = List.of();
        @Option(names = "--cira-username", description = "default: cira- and the first 11 hex digits of the GUID (AMT allows 16 characters)")
        String ciraUsername;
        @Option(names = "--credentials-from-stdin") boolean fromStdin;

        @Override
        public Integer call() throws IOException {
            DeviceGuid id = parse(guid);
            TenantId tenantId = tenant(tenant);
            Secret cira;
            Secret admin;
            if (fromStdin) {
                byte[] input = Stdin.readSecret(System.in, "device add");
                String[] lines = new String(input, StandardCharsets.UTF_8).split("\r?\n");
                Arrays.fill(input, (byte) 0);
                if (lines.length != 2 || !Passwords.meetsAmtRule(lines[0].toCharArray())
                        || !Passwords.meetsAmtRule(lines[1].toCharArray())) {
                    throw new StartupException(StartupException.CONFIGURATION, "standard input must hold two lines, the CIRA "
                            + "password and the AMT admin password, each 8-32 characters with upper and lower case, a digit "
                            + "and a symbol");
                }
                cira = Secret.ofChars(lines[0].toCharArray());
                admin = Secret.ofChars(lines[1].toCharArray());
            } else {
                cira = Passwords.amtPassword();
                admin = Passwords.amtPassword();
            }
            String username = ciraUsername == null ? Device.defaultCiraUsername(id) : ciraUsername;
            Path dir = DataDirectory.resolve(dataDir);
            try (NodeConnection node = connect();
                 SecretStore store = secrets()) {
                DeviceEnrollment enrollment = new DeviceEnrollment(new DeviceRegistry(node.database.dataSource()),
                        new DeviceSecrets(store), node.audit, Clock.systemUTC());
                boolean added;
                try {
                    added = enrollment.register(id, tenantId, username, Optional.ofNullable(hostname), tags, cira, admin,
                            node.actor);
                } catch (IllegalArgumentException e) {
                    throw new StartupException(StartupException.CONFIGURATION, OneLine.of(e));
                }
                if (!added) {
                    System.out.println("device " + id + " is already registered; nothing changed");
                    return 1;
                }
                System.out.println("registered device " + id + " (tenant " + tenantId + ", CIRA user " + username + ")");
                if (!fromStdin) {
                    Path file = dir.resolve(CREDENTIALS_DIR).resolve(id.value());
                    java.nio.file.Files.createDirectories(file.getParent());
                    String content = "# amtbus credentials for device " + id + "; configure the machine, then delete this file\n"
                            + "cira-username=" + username + "\ncira-password=" + new String(cira.revealChars())
                            + "\namt-admin-password=" + new String(admin.revealChars()) + "\n";
                    OwnerOnlyFiles.write(file, content.getBytes(StandardCharsets.UTF_8));
                    System.out.println("its generated passwords are in " + file + " (mode 0600); delete the file once the "
                            + "machine is configured");
                }
                return 0;
            } finally {
                cira.destroy();
                admin.destroy();
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List registered devices and who holds them.")
    static final class ListDevices extends NodeCommand implements Callable<Integer> {
        @Option(names = "--tenant") String tenant;
        @Option(names = "--limit", defaultValue = "1000") int limit;

        @Override
        public Integer call() {
            try (NodeConnection node = connect()) {
                DeviceRegistry registry = new DeviceRegistry(node.database.dataSource());
                DeviceLeases leases = new DeviceLeases(node.database.dataSource());
                System.out.printf("%-36s  %-16s  %-22s  %-12s  %s%n", "GUID", "TENANT", "CIRA USER", "GATEWAY", "TAGS");
                for (Device d : registry.list(Optional.ofNullable(tenant).map(DeviceCommand::tenant), limit)) {
                    String holder = leases.holder(d.guid()).map(l -> l.gatewayId().value()).orElse("offline");
                    System.out.printf("%-36s  %-16s  %-22s  %-12s  %s%n", d.guid(), d.tenant(), d.ciraUsername(), holder,
                            String.join(",", d.tags()));
                }
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a device and its secrets.")
    static final class Remove extends NodeCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "GUID") String guid;

        @Override
        public Integer call() {
            DeviceGuid id = parse(guid);
            try (NodeConnection node = connect();
                 SecretStore store = secrets()) {
                boolean removed = new DeviceEnrollment(new DeviceRegistry(node.database.dataSource()), new DeviceSecrets(store),
                        node.audit, Clock.systemUTC()).remove(id, node.actor);
                System.out.println(removed ? "removed device " + id : "no device " + id);
                return removed ? 0 : 1;
            }
        }
    }

    @Command(name = "enroll", mixinStandardHelpOptions = true,
            description = "Create a one-time enrollment token for the agent of an (unprovisioned) device: it logs in to the "
                    + "broker as agent-<GUID> with the token as password and may use only that device's agent topics. "
                    + "The token is shown once (or written to a 0600 file) and stored only as a hash.")
    static final class Enroll extends NodeCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "GUID") String guid;
        @Option(names = "--tenant", required = true) String tenant;
        @Option(names = "--minutes", defaultValue = "15", description = "lifetime, 1-1440 minutes (default 15)") int minutes;
        @Option(names = "--token-file", paramLabel = "FILE", description = "write the token to FILE (mode 0600) instead of "
                + "printing it") Path tokenFile;

        @Override
        public Integer call() throws IOException {
            DeviceGuid id = parse(guid);
            TenantId tenantId = tenant(tenant);
            if (minutes < 1 || minutes > 1440) {
                throw new StartupException(StartupException.CONFIGURATION, "--minutes must be 1-1440");
            }
            try (NodeConnection node = connect()) {
                EnrollmentTokens.Issued issued = new EnrollmentTokens(node.database.dataSource(), node.audit, Clock.systemUTC())
                        .issue(tenantId, id, java.time.Duration.ofMinutes(minutes), node.actor);
                byte[] token = issued.token().revealBytes();
                try {
                    if (tokenFile != null) {
                        OwnerOnlyFiles.write(tokenFile, token);
                        System.out.println("enrollment token for agent-" + id + " written to " + tokenFile
                                + " (mode 0600); it expires at " + issued.expiresAt() + " and works once");
                    } else {
                        System.out.println("enrollment token for agent-" + id + " (expires " + issued.expiresAt()
                                + ", works once; it is not shown again):");
                        System.out.println(new String(token, StandardCharsets.US_ASCII));
                    }
                } finally {
                    Arrays.fill(token, (byte) 0);
                    issued.token().destroy();
                }
                return 0;
            }
        }
    }

    static DeviceGuid parse(String guid) {
        try {
            return new DeviceGuid(guid == null ? null : guid.toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new StartupException(StartupException.CONFIGURATION, "GUID: " + e.getMessage());
        }
    }

    static TenantId tenant(String tenant) {
        try {
            return new TenantId(tenant);
        } catch (IllegalArgumentException e) {
            throw new StartupException(StartupException.CONFIGURATION, "--tenant: " + e.getMessage());
        }
    }
}
