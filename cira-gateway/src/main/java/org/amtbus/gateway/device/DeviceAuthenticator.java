package org.amtbus.gateway.device;

import java.util.Objects;
import java.util.Optional;
import org.amtbus.platform.device.Device;
import org.amtbus.platform.device.DeviceRegistry;
import org.amtbus.platform.device.DeviceSecrets;
import org.amtbus.platform.secret.Secret;
import org.amtbus.schemas.model.DeviceGuid;

/**
 * Decides whether a machine that dialled in over CIRA is one of ours: its GUID is registered, the user name
 * is the registered CIRA user name, and the password matches the CIRA password in the secret store
 * (compared in constant time). The device always gets the same answer for every refusal; the verdict's
 * reason is for the audit trail only. Blocking (database and secret store): never on an event loop.
 */
public final class DeviceAuthenticator {

    /** The outcome; only {@link #ACCEPTED} lets the device in. */
    public enum Verdict {
        ACCEPTED(null),
        UNKNOWN_DEVICE("device is not registered"),
        WRONG_USERNAME("user name does not match the registered CIRA user name"),
        WRONG_PASSWORD("password does not match"),
        NO_CREDENTIAL("no CIRA password is stored for the device"),
        UNAVAILABLE("the registry or the secret store is unavailable");

        private final String reason;

        Verdict(String reason) {
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    /** A verdict and, when accepted, the device. */
    public record Result(Verdict verdict, Optional<Device> device) {
    }

    private final DeviceRegistry registry;
    private final DeviceSecrets secrets;

    public DeviceAuthenticator(DeviceRegistry registry, DeviceSecrets secrets) {
        this.registry = Objects.requireNonNull(registry);
        this.secrets = Objects.requireNonNull(secrets);
    }

    public Result check(DeviceGuid guid, String username, byte[] password) {
        Secret offered = Secret.ofBytes(password);
        try {
            Optional<Device> device = registry.find(guid);
            if (device.isEmpty()) {
                return new Result(Verdict.UNKNOWN_DEVICE, Optional.empty());
            }
            Optional<Secret> stored = secrets.get(guid, DeviceSecrets.Kind.CIRA_PASSWORD);
            if (stored.isEmpty()) {
                return new Result(Verdict.NO_CREDENTIAL, Optional.empty());
            }
            // check the password even when the user name is wrong, so both take the same time
            boolean passwordMatches = stored.get().matches(offered);
            stored.get().destroy();
            if (!device.get().ciraUsername().equals(username)) {
                return new Result(Verdict.WRONG_USERNAME, Optional.empty());
            }
            return passwordMatches ? new Result(Verdict.ACCEPTED, device) : new Result(Verdict.WRONG_PASSWORD, Optional.empty());
        } catch (RuntimeException e) {
            return new Result(Verdict.UNAVAILABLE, Optional.empty());
        } finally {
            offered.destroy();
        }
    }
}
