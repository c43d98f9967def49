package org.amtbus.schemas.agent;

import java.util.Optional;
import org.amtbus.schemas.model.DeviceGuid;

/**
 * The MQTT user name of a device's agent: {@code agent-} and the device GUID. It is never an account (account
 * names are created by admins; this prefix is reserved for agents), holds no {@code + # /} or NUL, and names the
 * one device whose agent topics the session may use.
 */
public final class AgentName {

    public static final String PREFIX = "agent-";

    private AgentName() {
    }

    public static String of(DeviceGuid guid) {
        return PREFIX + guid.value();
    }

    /** True when {@code username} claims to be an agent (then only an enrollment token can log it in). */
    public static boolean claims(String username) {
        return username != null && username.startsWith(PREFIX);
    }

    /** The device an agent user name names; empty when it is not {@code agent-<canonical guid>}. */
    public static Optional<DeviceGuid> guidOf(String username) {
        if (!claims(username)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new DeviceGuid(username.substring(PREFIX.length())));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
