package org.amtbus.provisioning.profile;

import java.util.Locale;

/**
 * Which redirection sessions need the user's consent code (AMT's {@code IPS_OptInService}; RPS's
 * {@code userConsent}): none, KVM only, or all. CCM always needs consent for KVM and redirection,
 * whatever the profile says; only ACM can drop it.
 */
public enum UserConsent {
    NONE, KVM, ALL;

    /** {@code IPS_OptInService.OptInRequired} for this setting. */
    public long optInRequired() {
        return switch (this) {
            case NONE -> org.amtbus.wsman.activation.ActivationSteps.OPT_IN_NONE;
            case KVM -> org.amtbus.wsman.activation.ActivationSteps.OPT_IN_KVM;
            case ALL -> org.amtbus.wsman.activation.ActivationSteps.OPT_IN_ALL;
        };
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static UserConsent of(String value) {
        return switch (value == null ? "" : value.toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "kvm" -> KVM;
            case "all" -> ALL;
            default -> throw new IllegalArgumentException("user consent must be none, kvm or all");
        };
    }
}
