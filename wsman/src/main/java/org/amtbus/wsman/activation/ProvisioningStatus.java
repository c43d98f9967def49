package org.amtbus.wsman.activation;

/**
 * {@code AMT_SetupAndConfigurationService}: {@code ProvisioningState} 0 pre, 1 in, 2 post;
 * {@code ProvisioningMode} 1 admin (ACM), 4 client (CCM), -1 when absent.
 */
public record ProvisioningStatus(int provisioningState, int provisioningMode) {
    public static final int PRE = 0;
    public static final int IN = 1;
    public static final int POST = 2;

    public boolean preProvisioning() {
        return provisioningState == PRE;
    }
}
