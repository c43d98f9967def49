package org.amtbus.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.amtbus.platform.secret.SecretStore;
import org.amtbus.platform.secret.Secret;
import org.amtbus.platform.secret.SecretName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code amtbus secret}: the node's sealed secret store. Values are read from standard input only,
 * never from the command line (where {@code ps} and shell history would keep them), and never printed.
 */
@Command(name = "secret", mixinStandardHelpOptions = true, description = "Manage the sealed secret store (names only are ever shown).",
        subcommands = {SecretCommand.Put.class, SecretCommand.ListNames.class, SecretCommand.Delete.class})
final class SecretCommand {

    /** The node's secret store as its settings name it (the sealed file store, or Vault). */
    static SecretStore open(Path dataDir, Path config) {
        return SecretStores.open(NodeSettings.load(DataDirectory.resolve(dataDir), config));
    }

    @Command(name = "put", mixinStandardHelpOptions = true,
            description = "Store a secret read from standard input (one trailing newline is dropped), e.g. "
                    + "amtbus secret put database/password < pw.txt")
    static final class Put extends NodeCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME") String name;

        @Override
        public Integer call() throws IOException {
            SecretName secretName = parse(name);
            byte[] value = Stdin.readSecret(System.in, "secret put");
            try {
                try (SecretStore store = secrets()) {
                    store.put(secretName, Secret.ofBytes(value));
                }
                System.out.println("stored " + secretName);
                return 0;
            } finally {
                Arrays.fill(value, (byte) 0);
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List secret names under a prefix.")
    static final class ListNames extends NodeCommand implements Callable<Integer> {
        @Option(names = "--prefix", defaultValue = "") String prefix;

        @Override
        public Integer call() {
            try (SecretStore store = secrets()) {
                store.list(prefix).forEach(System.out::println);
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a secret.")
    static final class Delete extends NodeCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME") String name;

        @Override
        public Integer call() {
            try (SecretStore store = secrets()) {
                boolean removed = store.delete(parse(name));
                System.out.println(removed ? "deleted " + name : "no secret named " + name);
                return removed ? 0 : 1;
            }
        }
    }

    private static SecretName parse(String name) {
        try {
            return new SecretName(name);
        } catch (IllegalArgumentException e) {
            throw new StartupException(StartupException.CONFIGURATION, "NAME: " + e.getMessage());
        }
    }

}
