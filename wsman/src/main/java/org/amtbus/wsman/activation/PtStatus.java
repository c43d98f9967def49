package org.amtbus.wsman.activation;

/** PT_STATUS values the {@code AMT_*} methods return (amt-protocols.md section 4.5, selected). */
public final class PtStatus {
    public static final int SUCCESS = 0x00;
    public static final int INTERNAL_ERROR = 0x01;
    public static final int NOT_READY = 0x02;
    public static final int NOT_PERMITTED = 0x10;
    public static final int INVALID_PROVISIONING_STATE = 0x20;
    public static final int INVALID_PARAMETER = 0x24;
    public static final int INVALID_PASSWORD = 0x806;
    public static final int UNSUPPORTED = 0x812;
    public static final int NOT_FOUND = 0x814;
    public static final int USER_CONSENT_REQUIRED = 0x821;

    private PtStatus() {
    }
}
