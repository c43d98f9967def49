package org.amtbus.platform.device;

/** PostgreSQL failed while reading or writing devices, gateways or leases; the message names what was attempted. */
public final class DeviceStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DeviceStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
