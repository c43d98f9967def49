package org.amtbus.platform.device;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.amtbus.platform.secret.Secret;
import org.amtbus.platform.secret.SecretName;
import org.amtbus.platform.secret.SecretStore;
import org.amtbus.schemas.model.DeviceGuid;

/**
 * Where a device's secrets live in the secret store: {@code devices/<guid>/cira-password} (what the device
 * logs in with over CIRA), {@code devices/<guid>/amt-admin-password} (what we log in to its AMT with) and
 * {@code devices/<guid>/mebx-password}. Blocking, like the store.
 */
public final class DeviceSecrets {

    public enum Kind {
        CIRA_PASSWORD("cira-password"),
        AMT_ADMIN_PASSWORD("amt-admin-password"),
        MEBX_PASSWORD("mebx-password");

        private final String segment;

        Kind(String segment) {
            this.segment = segment;
        }
    }

    private final SecretStore store;

    public DeviceSecrets(SecretStore store) {
        this.store = store;
    }

    public static SecretName name(DeviceGuid guid, Kind kind) {
        return new SecretName("devices/" + guid.value() + "/" + kind.segment);
    }

    public Optional<Secret> get(DeviceGuid guid, Kind kind) {
        return store.get(name(guid, kind));
    }

    public void put(DeviceGuid guid, Kind kind, Secret value) {
        store.put(name(guid, kind), value);
    }

    /** Stores many devices' secrets at once, named with {@link #name}: one write of the store for all of them. */
    public void putAll(Map<SecretName, Secret> values) {
        store.putAll(values);
    }

    /** Removes every secret of these devices at once; the number removed. */
    public int deleteAll(Collection<DeviceGuid> guids) {
        List<SecretName> names = new ArrayList<>(guids.size() * Kind.values().length);
        for (DeviceGuid guid : guids) {
            for (Kind kind : Kind.values()) {
                names.add(name(guid, kind));
            }
        }
        return store.deleteAll(names);
    }

    /** Removes every secret of the device; the number removed. */
    public int deleteAll(DeviceGuid guid) {
        int removed = 0;
        for (Kind kind : Kind.values()) {
            if (store.delete(name(guid, kind))) {
                removed++;
            }
        }
        return removed;
    }
}
