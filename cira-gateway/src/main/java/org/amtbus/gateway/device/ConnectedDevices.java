package org.amtbus.gateway.device;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.amtbus.schemas.model.DeviceGuid;

/**
 * The devices connected to this gateway now, one link per device. Thread-safe.
 */
public final class ConnectedDevices {

    private final ConcurrentHashMap<DeviceGuid, DeviceLink> links = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Consumer<DeviceLink>> gone = new CopyOnWriteArrayList<>();

    /** Runs {@code listener} for every link that stops being current (replaced or removed). */
    public void onGone(Consumer<DeviceLink> listener) {
        gone.add(listener);
    }

    /** Makes {@code link} the device's current one; returns the link it replaced. */
    public Optional<DeviceLink> put(DeviceLink link) {
        Optional<DeviceLink> old = Optional.ofNullable(links.put(link.device().guid(), link)).filter(o -> o != link);
        old.ifPresent(o -> gone.forEach(l -> l.accept(o)));
        return old;
    }

    /** Removes the link only if it is still the device's current one. */
    public boolean remove(DeviceLink link) {
        gone.forEach(l -> l.accept(link));
        return links.remove(link.device().guid(), link);
    }

    public Optional<DeviceLink> get(DeviceGuid guid) {
        return Optional.ofNullable(links.get(guid));
    }

    /** The current links, a snapshot. */
    public java.util.List<DeviceLink> all() {
        return java.util.List.copyOf(links.values());
    }

    public int size() {
        return links.size();
    }
}
