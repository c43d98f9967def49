package org.amtbus.wsman.activation;

/** ReturnValue of {@code IPS_HostBasedSetupService.AddNextCertInChain}. */
public final class ChainReturn {
    public static final int SUCCESS = 0;
    public static final int INVALID_PARAMETER = 1;
    public static final int INTERNAL_ERROR = 2;
    public static final int INVALID_STATE = 3;
    public static final int CERTIFICATE_VERIFY_FAILED = 4;
    public static final int CHAIN_TOO_LONG = 5;

    private ChainReturn() {
    }
}
