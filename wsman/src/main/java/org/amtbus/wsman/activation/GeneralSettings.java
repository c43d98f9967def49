package org.amtbus.wsman.activation;

import java.util.regex.Pattern;

/**
 * What activation needs from {@code AMT_GeneralSettings}. Invariant: {@code digestRealm} has firmware's
 * shape, {@code Digest:} plus 32 uppercase hex digits (RPS refuses any other).
 */
public record GeneralSettings(String digestRealm, String hostName, String domainName) {
    public static final Pattern REALM = Pattern.compile("Digest:[0-9A-F]{32}");

    public GeneralSettings {
        if (digestRealm == null || !REALM.matcher(digestRealm).matches()) {
            throw new IllegalArgumentException("DigestRealm must be Digest: plus 32 uppercase hex digits");
        }
        hostName = hostName == null ? "" : hostName;
        domainName = domainName == null ? "" : domainName;
    }
}
