package org.amtbus.app;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.amtbus.provisioning.profile.CertificateFacts;
import org.amtbus.provisioning.profile.Domain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code amtbus domain}: ACM provisioning domains of a running node. The .pfx comes from a file, its password
 * from a file, the terminal or standard input, never the command line; both go to the secret store only and
 * no command prints them.
 */
@Command(name = "domain", mixinStandardHelpOptions = true,
        description = "Manage ACM provisioning domains (the .pfx and its password stay in the secret store).",
        subcommands = {DomainCommand.Add.class, DomainCommand.ListDomains.class, DomainCommand.Show.class,
                DomainCommand.Delete.class})
final class DomainCommand {

    /** A .pfx with a 4-certificate chain is a few KiB; anything this large is not one. */
    static final int MAX_PFX_BYTES = 64 * 1024;

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Create or replace a domain from its .pfx (audited domain.created/changed). The password is read "
                    + "from --password-file, else asked on the terminal, else read from standard input.")
    static final class Add implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "lowercase; names the secrets domains/NAME/...") String name;
        @Option(names = "--tenant", required = true) String tenant;
        @Option(names = "--dns-suffix", required = true, description = "the DNS suffix machines of this domain report")
        String dnsSuffix;
        @Option(names = "--pfx", required = true, paramLabel = "FILE", description = "the PKCS#12 provisioning certificate")
        Path pfx;
        @Option(names = "--password-file", paramLabel = "FILE", description = "a file holding the .pfx password (one line)")
        Path passwordFile;
        @Mixin ProvisioningAdminSession node;

        @Override
        public Integer call() throws IOException {
            if (!Files.isRegularFile(pfx) || Files.size(pfx) > MAX_PFX_BYTES) {
                throw new StartupException(StartupException.CONFIGURATION, "--pfx: " + pfx + " is not a .pfx file of at most "
                        + MAX_PFX_BYTES + " bytes");
            }
            byte[] bytes = Files.readAllBytes(pfx);
            char[] password = password();
            try {
                return node.run((admin, session) -> {
                    boolean existed = admin.showDomain(name).isPresent();
                    Domain domain;
                    try {
                        domain = admin.putDomain(name, DeviceCommand.tenant(tenant), dnsSuffix, bytes, password, session.actor);
                    } catch (IllegalArgumentException e) {
                        throw new StartupException(StartupException.CONFIGURATION, "domain " + name + ": " + OneLine.of(e));
                    }
                    System.out.println((existed ? "replaced" : "created") + " domain " + name + " (tenant " + domain.tenant()
                            + ", suffix " + domain.dnsSuffix() + ", expires " + domain.expiresAt()
                            + "); the .pfx and its password are in the secret store");
                    return 0;
                });
            } finally {
                Arrays.fill(bytes, (byte) 0);
                Arrays.fill(password, '\0');
            }
        }

        private char[] password() throws IOException {
            if (passwordFile != null) {
                return Stdin.readSecretChars(Files.newInputStream(passwordFile), "--password-file");
            }
            Console console = System.console();
            if (console != null && interactive(console)) {
                char[] typed = console.readPassword("password of %s: ", pfx.getFileName());
                if (typed == null || typed.length == 0) {
                    throw new StartupException(StartupException.CONFIGURATION, "no .pfx password given");
                }
                return typed;
            }
            return Stdin.readSecretChars(System.in, ".pfx password");
        }
    }

    /**
     * Whether the console is a terminal: on JDK 22+ {@code System.console()} is not null when the streams are
     * redirected, and {@code Console.isTerminal()} (not in the Java 21 API we compile against) tells.
     */
    static boolean interactive(Console console) {
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // Java 21: a console exists only for a terminal
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List domains (never a .pfx or password).")
    static final class ListDomains implements Callable<Integer> {
        @Option(names = "--tenant") String tenant;
        @Mixin ProvisioningAdminSession node;

        @Override
        public Integer call() throws IOException {
            return node.run((admin, session) -> {
                System.out.printf("%-24s  %-16s  %-32s  %-20s  %s%n", "NAME", "TENANT", "DNS SUFFIX", "EXPIRES", "ROOT SHA-256");
                for (Domain d : admin.listDomains(Optional.ofNullable(tenant).map(DeviceCommand::tenant))) {
                    System.out.printf("%-24s  %-16s  %-32s  %-20s  %s%n", d.name(), d.tenant(), d.dnsSuffix(), d.expiresAt(),
                            d.rootSha256());
                }
                return 0;
            });
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show a domain and its certificate chain: subjects, SHA-256 fingerprints, validity.")
    static final class Show implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Mixin ProvisioningAdminSession node;

        @Override
        public Integer call() throws IOException {
            return node.run((admin, session) -> {
                                Optional<Domain> domain = admin.showDomain(name);
                if (domain.isEmpty()) {
                    System.out.println("no domain " + name);
                    return 1;
                }
                Domain d = domain.get();
                System.out.println("name:       " + d.name());
                System.out.println("tenant:     " + d.tenant());
                System.out.println("dns suffix: " + d.dnsSuffix());
                System.out.println("expires:    " + d.expiresAt());
                System.out.println("secrets:    domains/" + d.name() + "/pfx, domains/" + d.name() + "/pfx-password (not shown)");
                List<CertificateFacts> chain;
                try {
                    chain = admin.domainChain(name).orElse(List.of());
                } catch (IllegalStateException e) {
                    System.out.println("chain:      cannot be opened: " + OneLine.of(e));
                    return 1;
                }
                System.out.println("chain (leaf to root):");
                for (CertificateFacts c : chain) {
                    System.out.println("  subject " + c.subject());
                    System.out.println("    issuer  " + c.issuer());
                    System.out.println("    sha256  " + c.sha256());
                    System.out.println("    valid   " + c.notBefore() + " to " + c.notAfter());
                }
                return 0;
            });
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a domain and its secrets (audited).")
    static final class Delete implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Mixin ProvisioningAdminSession node;

        @Override
        public Integer call() throws IOException {
            return node.run((admin, session) -> {
                boolean deleted = admin.deleteDomain(name, session.actor);
                System.out.println(deleted ? "deleted domain " + name + " and its secrets" : "no domain " + name);
                return deleted ? 0 : 1;
            });
        }
    }
}
