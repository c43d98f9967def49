package org.amtbus.wsman.digest;

import java.util.HexFormat;

/**
 * HA1 of HTTP Digest, MD5({@code username:realm:password}): what AMT stores instead of the admin password
 * and what activation sends ({@code NetworkAdminPassword} as lowercase hex, {@code SetAdminAclEntryEx}'s
 * {@code DigestPassword} as base64 of the raw bytes). The result is password-equivalent: callers keep it
 * out of logs and clear arrays after use.
 */
public final class DigestHash {
    private DigestHash() {
    }

    /** The raw 16 bytes. */
    public static byte[] ha1(String username, String realm, Password password) {
        return DigestMath.ha1(username, realm, password);
    }

    /** 32 lowercase hex digits. */
    public static String ha1Hex(String username, String realm, Password password) {
        return HexFormat.of().formatHex(ha1(username, realm, password));
    }
}
