package org.amtbus.provisioning;

import org.amtbus.schemas.model.DeviceGuid;

/**
 * The CIRA user name the worker gives a device. AMT's {@code AddMpServer} takes at most 16 characters
 * ({@code MpsServer}), so {@code Device.defaultCiraUsername} (21) does not fit; this is {@code cira-} and
 * the GUID's first 11 hex digits. The gateway looks the device up by GUID, so the name need not be unique.
 */
public final class CiraUsernames {
    public static final int AMT_MAX = 16;

    private CiraUsernames() {
    }

    public static String forDevice(DeviceGuid guid) {
        return "cira-" + guid.value().replace("-", "").substring(0, AMT_MAX - 5);
    }
}
