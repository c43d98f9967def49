package org.amtbus.acl.level;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Who a policy is resolved for: the account's username, the MQTT client id of the connection (if
 * known) and the tenants the account belongs to.
 *
 * <p>Invariant: every value passed {@link IdentityToken#require(String, String)}; construction
 * throws rather than let an unsafe value reach a pattern. {@code clientId} may be null (unknown);
 * {@code tenants} may be empty and is an unmodifiable copy in the caller's iteration order.
 */
public record Identity(String username, String clientId, Set<String> tenants) {

    public Identity {
        IdentityToken.require("username", username);
        if (clientId != null) {
            IdentityToken.require("client id", clientId);
        }
        if (tenants == null) {
            throw new IllegalArgumentException("tenants must not be null");
        }
        Set<String> copy = new LinkedHashSet<>();
        for (String tenant : tenants) {
            copy.add(IdentityToken.require("tenant", tenant));
        }
        tenants = java.util.Collections.unmodifiableSet(copy);
    }

    /** An identity without client id. */
    public static Identity of(String username, Set<String> tenants) {
        return new Identity(username, null, tenants);
    }
}
