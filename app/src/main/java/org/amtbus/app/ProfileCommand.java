package org.amtbus.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.amtbus.provisioning.profile.Profile;
import org.amtbus.provisioning.profile.ProfileAdmin;
import org.amtbus.provisioning.profile.ProfileDocument;
import org.amtbus.provisioning.profile.ProfileStore;
import org.amtbus.schemas.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code amtbus profile}: provisioning profiles (what a machine becomes) of a running node, through the same
 * audited {@link ProfileAdmin} as the admin API. A profile holds no secret.
 */
@Command(name = "profile", mixinStandardHelpOptions = true, description = "Manage provisioning profiles.",
        subcommands = {ProfileCommand.Add.class, ProfileCommand.ListProfiles.class, ProfileCommand.Show.class,
                ProfileCommand.Delete.class})
final class ProfileCommand {

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Create a profile, or replace the tenant's profile of that name (audited profile.created/changed).")
    static final class Add implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Option(names = "--tenant", required = true) String tenant;
        @Option(names = "--control-mode", required = true, paramLabel = "ccm|acm") String controlMode;
        @Option(names = "--mps-address", required = true, description = "where the machine dials: our CIRA gateway") String mpsAddress;
        @Option(names = "--mps-port", description = "default 4433") Integer mpsPort;
        @Option(names = "--mps-common-name", description = "the name on the gateway certificate; default the address")
        String mpsCommonName;
        @Option(names = "--mps-root", paramLabel = "PEM", description = "the CA the machine trusts for the gateway; default the node CA")
        Path mpsRoot;
        @Option(names = "--periodic-seconds", description = "periodic CIRA rule, redial every N s (default 25; 0 = none)")
        Integer periodicSeconds;
        @Option(names = "--no-user-initiated", description = "no user-initiated CIRA rule") boolean noUserInitiated;
        @Option(names = "--user-consent", paramLabel = "none|kvm|all", description = "default all") String userConsent;
        @Option(names = "--network", paramLabel = "dhcp|static", defaultValue = "dhcp") String network;
        @Option(names = "--address", paramLabel = "IPV4/PREFIX", description = "static only, e.g. 10.1.2.3/24") String address;
        @Option(names = "--gateway", description = "static only") String gateway;
        @Option(names = "--dns", description = "static only; a DNS server (repeatable)") List<String> dns = List.of();
        @Option(names = "--tag", description = "a tag for the device's registration (repeatable)") List<String> tags = List.of();
        @Mixin ProvisioningAdminSession node;

        @Override
        public Integer call() throws IOException {
            Profile profile;
            try {
                String pem = mpsRoot == null ? null : Files.readString(mpsRoot, StandardCharsets.US_ASCII);
                String ip = null;
                Integer prefix = null;
                if (address != null) {
                    int slash = address.indexOf('/');
                    if (slash < 0) {
                        throw new IllegalArgumentException("--address is IPV4/PREFIX, e.g. 10.1.2.3/24");
                    }
                    ip = address.substring(0, slash);
                    prefix = Integer.valueOf(address.substring(slash + 1));
                }
                profile = new ProfileDocument.Body(controlMode, new ProfileDocument.Cira(mpsAddress, mpsPort, mpsCommonName, pem,
                        periodicSeconds, !noUserInitiated), userConsent,
                        new ProfileDocument.Network(network, ip, prefix, gateway, dns), tags)
                        .toProfile(DeviceCommand.tenant(tenant), name);
            } catch (IllegalArgumentException e) {
                throw new StartupException(StartupException.CONFIGURATION, OneLine.of(e));
            }
            return node.run((admin, session) -> {
                ProfileStore.Put put = admin.putProfile(profile, session.actor);
                System.out.println((put == ProfileStore.Put.CREATED ? "created" : "replaced") + " profile " + name + " of tenant "
                        + profile.tenant());
                return 0;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List profiles.")
    static final class ListProfiles implements Callable<Integer> {
        @Option(names = "--tenant") String tenant;
        @Mixin ProvisioningAdminSession node;

        @Override
        public Integer call() throws IOException {
            return node.run((admin, session) -> {
                System.out.printf("%-24s  %-16s  %-4s  %-30s  %-7s  %-7s  %s%n", "NAME", "TENANT", "MODE", "CIRA", "CONSENT",
                        "NETWORK", "TAGS");
                for (Profile p : admin.listProfiles(Optional.ofNullable(tenant).map(DeviceCommand::tenant))) {
                    System.out.printf("%-24s  %-16s  %-4s  %-30s  %-7s  %-7s  %s%n", p.name(), p.tenant(), p.controlMode().wireName(),
                            p.cira().mpsAddress() + ":" + p.cira().mpsPort(), p.userConsent().wireName(),
                            p.network().mode().name().toLowerCase(java.util.Locale.ROOT), String.join(",", p.tags()));
                }
                return 0;
            });
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a profile as JSON (the admin API's form).")
    static final class Show implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Option(names = "--tenant", required = true) String tenant;
        @Mixin ProvisioningAdminSession node;

        @Override
        public Integer call() throws IOException {
            return node.run((admin, session) -> {
                Optional<Profile> profile = admin.showProfile(DeviceCommand.tenant(tenant), name);
                if (profile.isEmpty()) {
                    System.out.println("no profile " + name + " in tenant " + tenant);
                    return 1;
                }
                System.out.println(Json.newMapper().writerWithDefaultPrettyPrinter()
                        .writeValueAsString(ProfileDocument.of(profile.get())));
                return 0;
            });
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a profile (audited profile.deleted).")
    static final class Delete implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Option(names = "--tenant", required = true) String tenant;
        @Mixin ProvisioningAdminSession node;

        @Override
        public Integer call() throws IOException {
            return node.run((admin, session) -> {
                boolean deleted = admin.deleteProfile(DeviceCommand.tenant(tenant), name, session.actor);
                System.out.println(deleted ? "deleted profile " + name + " of tenant " + tenant
                        : "no profile " + name + " in tenant " + tenant);
                return deleted ? 0 : 1;
            });
        }
    }
}
