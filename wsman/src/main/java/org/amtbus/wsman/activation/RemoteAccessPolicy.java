package org.amtbus.wsman.activation;

import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * The input of {@code AMT_RemoteAccessService.AddRemoteAccessPolicyRule}, minus the MPS reference.
 * {@code trigger}: 0 user-initiated, 1 alert, 2 periodic, 3 home provisioning. {@code tunnelLifetime} in
 * seconds, 0 = stay connected. {@code extendedData} base64; for a periodic rule two big-endian u32, the
 * first 0 and the second the interval in seconds ({@code AAAAAAAAABk=} = every 25 s, as RPS sends).
 */
public record RemoteAccessPolicy(int trigger, int tunnelLifetime, String extendedData) {
    public static final int USER_INITIATED = 0;
    public static final int ALERT = 1;
    public static final int PERIODIC = 2;
    public static final int HOME_PROVISIONING = 3;

    public RemoteAccessPolicy {
        if (trigger < 0 || trigger > 3) {
            throw new IllegalArgumentException("trigger must be 0..3");
        }
        if (tunnelLifetime < 0) {
            throw new IllegalArgumentException("tunnelLifetime must not be negative");
        }
        extendedData = extendedData == null ? "" : extendedData;
        Base64.getDecoder().decode(extendedData);
    }

    /** RPS's periodic rule: stay connected, reconnect every {@code intervalSeconds}. */
    public static RemoteAccessPolicy periodic(int intervalSeconds) {
        byte[] data = ByteBuffer.allocate(8).putInt(0).putInt(intervalSeconds).array();
        return new RemoteAccessPolicy(PERIODIC, 0, Base64.getEncoder().encodeToString(data));
    }

    /** RPS's user-initiated rule: tunnel lifetime 300 s, no extended data. */
    public static RemoteAccessPolicy userInitiated() {
        return new RemoteAccessPolicy(USER_INITIATED, 300, "");
    }
}
