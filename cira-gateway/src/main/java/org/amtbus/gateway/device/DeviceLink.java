package org.amtbus.gateway.device;

import java.util.UUID;
import org.amtbus.platform.device.Device;
import org.amtbus.wsman.client.Transport;

/**
 * One authenticated CIRA connection of a device, as the rest of the gateway sees it: a {@link Transport} to
 * its web service (each {@code open()} is a new APF channel) and a way to drop it.
 */
public interface DeviceLink extends Transport {

    Device device();

    /** Unique per connection; the lease names it, so a late disconnect of an old connection changes nothing. */
    UUID connectionId();

    /** The peer's address, for audit events. */
    String remoteAddress();

    /** Closes the connection (the device will dial again). */
    void disconnect(String reason);
}
