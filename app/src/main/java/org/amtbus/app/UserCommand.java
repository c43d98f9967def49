package org.amtbus.app;

import java.util.concurrent.Callable;
import org.amtbus.acl.account.Account;
import org.amtbus.acl.admin.AccountAdmin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code amtbus user}: users of a running node. Passwords come from standard input only. */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Manage users (passwords from standard input only).",
        subcommands = {UserCommand.Add.class, UserCommand.ListUsers.class, UserCommand.Passwd.class, UserCommand.Delete.class})
final class UserCommand {

    static int refused(AccountAdmin.AdminException e) {
        throw new StartupException(StartupException.CONFIGURATION, e.getMessage());
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a user with no access (grant levels with amtbus acl grant).")
    static final class Add extends NodeCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Option(names = "--superuser", description = "Full access to every topic.") boolean superuser;
        @Option(names = "--tenant", description = "The user's tenant: {tenant} in grant templates resolves to it.")
        String tenant;

        @Override
        public Integer call() throws Exception {
            java.util.Optional<org.amtbus.schemas.model.TenantId> tenantId = java.util.Optional.ofNullable(tenant)
                    .map(DeviceCommand::tenant);
            char[] password = Stdin.readSecretChars(System.in, "password");
            try (NodeConnection node = connect()) {
                node.admin().addAccount(name, org.amtbus.acl.account.Account.Kind.USER, password, superuser, tenantId,
                        node.actor);
                System.out.println("added " + name + tenantId.map(t -> " in tenant " + t).orElse("")
                        + (superuser ? " (superuser)" : " (no access until granted)"));
                return 0;
            } catch (AccountAdmin.AdminException e) {
                return refused(e);
            }
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true, description = "Set a user's password.")
    static final class Passwd extends NodeCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME") String name;

        @Override
        public Integer call() throws Exception {
            char[] password = Stdin.readSecretChars(System.in, "password");
            try (NodeConnection node = connect()) {
                node.admin().changePassword(name, password, node.actor);
                System.out.println("password of " + name + " changed");
                return 0;
            } catch (AccountAdmin.AdminException e) {
                return refused(e);
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a user and its grants.")
    static final class Delete extends NodeCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME") String name;

        @Override
        public Integer call() {
            try (NodeConnection node = connect()) {
                node.admin().delete(name, node.actor);
                System.out.println("deleted " + name);
                return 0;
            } catch (AccountAdmin.AdminException e) {
                return refused(e);
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List accounts.")
    static final class ListUsers extends NodeCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            try (NodeConnection node = connect()) {
                System.out.printf("%-24s %-8s %-9s %s%n", "NAME", "KIND", "SUPERUSER", "CREATED");
                for (Account a : node.admin().list()) {
                    System.out.printf("%-24s %-8s %-9s %s%n", a.name(), a.kind().name().toLowerCase(java.util.Locale.ROOT),
                            a.superuser() ? "yes" : "no", a.createdAt());
                }
                return 0;
            }
        }
    }
}
