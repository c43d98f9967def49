package org.amtbus.broker.auth;

import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import java.util.Objects;
import org.amtbus.acl.account.Account;

/**
 * The authorization policy until per-topic levels arrive (issue 4): superusers and the internal
 * service accounts may publish and subscribe anywhere except {@code $SYS}; nobody else may do anything.
 *
 * <p>Default deny: an unknown or unauthenticated username gets no access. Runs on a Netty I/O
 * thread, so it only reads memory. Denials are reported to a {@link DenialListener}.
 */
public final class BootstrapAuthorizer implements IAuthorizatorPolicy {

    /** Called for each refused publish or subscribe, on the I/O thread; must not block. */
    public interface DenialListener {
        void denied(String action, String topic, String username, String clientId);
    }

    private final Principals principals;
    private final DenialListener listener;

    public BootstrapAuthorizer(Principals principals, DenialListener listener) {
        this.principals = Objects.requireNonNull(principals);
        this.listener = Objects.requireNonNull(listener);
    }

    @Override
    public boolean canWrite(Topic topic, String user, String client) {
        return decide("publish", topic, user, client);
    }

    @Override
    public boolean canRead(Topic topic, String user, String client) {
        return decide("subscribe", topic, user, client);
    }

    private boolean decide(String action, Topic topic, String user, String client) {
        String name = topic.toString();
        boolean allowed = !name.startsWith("$") && principals.account(user).map(BootstrapAuthorizer::isPrivileged).orElse(false);
        if (!allowed) {
            listener.denied(action, name, user, client);
        }
        return allowed;
    }

    private static boolean isPrivileged(Account account) {
        return account.superuser() || account.kind() == Account.Kind.SERVICE;
    }
}
