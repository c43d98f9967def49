package org.amtbus.broker.auth;

import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import java.util.Objects;
import org.amtbus.acl.level.AclAction;

/**
 * Enforces topic levels 0-3: publish is decided on the exact topic, subscribe on the filter (allowed
 * only when the grants cover every topic it can match). Default deny: an unknown username gets nothing.
 *
 * <p>Runs on Netty I/O threads and Moquette's session loops and only reads memory ({@link Principals}, whose
 * decision cache answers a repeated publish without walking the grants). Denials go to the
 * {@link DenialListener} (metric and audit). Moquette answers a denied subscription with a failure
 * SUBACK and drops a denied publish (MQTT 3.1.1 has no way to say why).
 */
public final class LevelAuthorizer implements IAuthorizatorPolicy {

    /** Called for each refused publish or subscribe, on the I/O thread; must not block. */
    public interface DenialListener {
        void denied(String action, String topic, String username, String clientId);
    }

    private final Principals principals;
    private final DenialListener listener;

    public LevelAuthorizer(Principals principals, DenialListener listener) {
        this.principals = Objects.requireNonNull(principals);
        this.listener = Objects.requireNonNull(listener);
    }

    @Override
    public boolean canWrite(Topic topic, String user, String client) {
        String name = topic.toString();
        boolean allowed = principals.decide(user, AclAction.PUBLISH, name);
        if (!allowed) {
            listener.denied("publish", name, user, client);
        }
        return allowed;
    }

    @Override
    public boolean canRead(Topic topic, String user, String client) {
        String filter = topic.toString();
        boolean allowed = principals.decide(user, AclAction.SUBSCRIBE, filter);
        if (!allowed) {
            listener.denied("subscribe", filter, user, client);
        }
        return allowed;
    }
}
