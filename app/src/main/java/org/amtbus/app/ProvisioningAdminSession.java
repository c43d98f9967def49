package org.amtbus.app;

import java.io.IOException;
import org.amtbus.platform.secret.SecretStore;
import org.amtbus.provisioning.profile.DomainStore;
import org.amtbus.provisioning.profile.ProfileAdmin;
import org.amtbus.provisioning.profile.ProfileStore;

/**
 * The node a {@code profile} or {@code domain} command works on ({@code --data-dir}, {@code --config}, a picocli
 * mixin), and one audited {@link ProfileAdmin} action against it: its database, Kafka (for the audit events, by
 * the local operator) and secret store are opened for the action and closed after it.
 */
final class ProvisioningAdminSession extends NodeCommand {

    /** One action with the node's profile and domain administration. */
    @FunctionalInterface
    interface Action {
        int run(ProfileAdmin admin, NodeConnection node) throws IOException;
    }

    int run(Action action) throws IOException {
        try (NodeConnection node = connect();
             SecretStore store = secrets()) {
            return action.run(admin(node, store), node);
        }
    }

    /** The node's profile and domain administration, its audit events by the local operator. */
    static ProfileAdmin admin(NodeConnection node, SecretStore secrets) {
        return new ProfileAdmin(new ProfileStore(node.database.dataSource()), new DomainStore(node.database.dataSource(), secrets),
                node.audit);
    }
}
