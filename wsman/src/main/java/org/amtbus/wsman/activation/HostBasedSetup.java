package org.amtbus.wsman.activation;

import java.util.Set;

/**
 * {@code IPS_HostBasedSetupService} as activation reads it. Control modes: 0 none, 1 client (CCM),
 * 2 admin (ACM). {@code certChainStatus}: 0 not started, 1 in progress, 2 complete. The nonce is the raw
 * {@code ConfigurationNonce} (20 bytes on firmware); the accessor returns a copy.
 */
public record HostBasedSetup(int currentControlMode, Set<Integer> allowedControlModes, int certChainStatus,
                             byte[] configurationNonce) {
    public static final int MODE_NONE = 0;
    public static final int MODE_CLIENT = 1;
    public static final int MODE_ADMIN = 2;

    public HostBasedSetup {
        allowedControlModes = Set.copyOf(allowedControlModes);
        configurationNonce = configurationNonce.clone();
    }

    @Override
    public byte[] configurationNonce() {
        return configurationNonce.clone();
    }

    public boolean allows(int controlMode) {
        return allowedControlModes.contains(controlMode);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostBasedSetup h && h.currentControlMode == currentControlMode
                && h.allowedControlModes.equals(allowedControlModes) && h.certChainStatus == certChainStatus
                && java.util.Arrays.equals(h.configurationNonce, configurationNonce);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(currentControlMode, allowedControlModes, certChainStatus,
                java.util.Arrays.hashCode(configurationNonce));
    }

    @Override
    public String toString() {
        return "HostBasedSetup[currentControlMode=" + currentControlMode + ", allowedControlModes=" + allowedControlModes
                + ", certChainStatus=" + certChainStatus + ", configurationNonce=" + configurationNonce.length + " bytes]";
    }
}
