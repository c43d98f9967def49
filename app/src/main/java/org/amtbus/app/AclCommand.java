package org.amtbus.app;

import java.util.List;
import java.util.concurrent.Callable;
import org.amtbus.acl.admin.AccountAdmin;
import org.amtbus.acl.grant.StoredGrant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code amtbus acl}: topic levels 0-3 per account and pattern. */
@Command(name = "acl", mixinStandardHelpOptions = true,
        description = "Topic levels per account and pattern: 0 none, 1 subscribe, 2 publish, 3 both.",
        subcommands = {AclCommand.Grant.class, AclCommand.Revoke.class, AclCommand.ListGrants.class})
final class AclCommand {

    @Command(name = "grant", mixinStandardHelpOptions = true,
            description = "Grant LEVEL on PATTERN (MQTT wildcards + and #, and the placeholder {tenant}).")
    static final class Grant extends NodeCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ACCOUNT") String account;
        @Parameters(index = "1", paramLabel = "PATTERN") String pattern;
        @Parameters(index = "2", paramLabel = "LEVEL") int level;

        @Override
        public Integer call() {
            try (NodeConnection node = connect()) {
                node.admin().grant(account, pattern, level, node.actor);
                System.out.println(account + " has level " + level + " on " + pattern);
                return 0;
            } catch (AccountAdmin.AdminException e) {
                return UserCommand.refused(e);
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Remove the grant on exactly PATTERN.")
    static final class Revoke extends NodeCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ACCOUNT") String account;
        @Parameters(index = "1", paramLabel = "PATTERN") String pattern;

        @Override
        public Integer call() {
            try (NodeConnection node = connect()) {
                node.admin().revoke(account, pattern, node.actor);
                System.out.println("revoked " + account + " on " + pattern);
                return 0;
            } catch (AccountAdmin.AdminException e) {
                return UserCommand.refused(e);
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List grants (of one account, or all).")
    static final class ListGrants extends NodeCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ACCOUNT", arity = "0..1") String account;

        @Override
        public Integer call() {
            try (NodeConnection node = connect()) {
                List<StoredGrant> grants = account == null ? node.admin().allGrants() : node.admin().grantsOf(account);
                System.out.printf("%-24s %-5s %s%n", "ACCOUNT", "LEVEL", "PATTERN");
                grants.forEach(g -> System.out.printf("%-24s %-5d %s%n", g.account(), g.level(), g.pattern()));
                return 0;
            } catch (AccountAdmin.AdminException e) {
                return UserCommand.refused(e);
            }
        }
    }
}
