package org.amtbus.wsman.activation;

/** ReturnValue of {@code IPS_HostBasedSetupService.Setup} and {@code AdminSetup}. */
public final class SetupReturn {
    public static final int SUCCESS = 0;
    public static final int INTERNAL_ERROR = 1;
    public static final int INVALID_STATE = 2;
    public static final int INVALID_PARAMETER = 3;
    public static final int METHOD_DISABLED = 4;
    public static final int AUTH_FAILED = 5;
    public static final int FLASH_WRITE_LIMIT_EXCEEDED = 6;

    private SetupReturn() {
    }
}
