package org.amtbus.provisioning.profile;

import java.util.Locale;

/**
 * How AMT is activated. {@link #CCM} (client control mode): host-based setup, no certificate, some actions
 * need user consent. {@link #ACM} (admin control mode): the provisioning certificate of a domain whose
 * suffix is the device's DNS suffix signs the setup.
 */
public enum ControlMode {
    CCM, ACM;

    /** The stored and printed form: {@code ccm}, {@code acm}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ControlMode of(String value) {
        return switch (value == null ? "" : value.toLowerCase(Locale.ROOT)) {
            case "ccm" -> CCM;
            case "acm" -> ACM;
            default -> throw new IllegalArgumentException("control mode must be acm or ccm");
        };
    }
}
