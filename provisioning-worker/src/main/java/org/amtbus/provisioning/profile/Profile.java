package org.amtbus.provisioning.profile;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.amtbus.schemas.model.TenantId;

/**
 * What a machine becomes when the profile is applied: its control mode, CIRA configuration, user consent,
 * network settings and the tags its registration carries. Holds no secret. Invariant: the name is what a
 * {@code ProvisioningRequest} can name ({@code [A-Za-z0-9][A-Za-z0-9._-]{0,63}}), unique per tenant.
 */
public record Profile(String name, TenantId tenant, ControlMode controlMode, CiraPolicy cira, UserConsent userConsent,
                      NetworkSettings network, List<String> tags) {

    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    public static final int MAX_TAGS = 16;
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    public Profile {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a profile name is 1 to 64 letters, digits, '.', '_' or '-'");
        }
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(controlMode, "controlMode");
        Objects.requireNonNull(cira, "cira");
        Objects.requireNonNull(userConsent, "userConsent");
        Objects.requireNonNull(network, "network");
        tags = List.copyOf(tags);
        if (tags.size() > MAX_TAGS || !tags.stream().allMatch(t -> TAG.matcher(t).matches())) {
            throw new IllegalArgumentException("at most " + MAX_TAGS + " tags of letters, digits, '.', '_', ':' or '-'");
        }
    }
}
