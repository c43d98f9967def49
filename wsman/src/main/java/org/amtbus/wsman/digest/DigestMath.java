package org.amtbus.wsman.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** RFC 2617/7616 MD5 arithmetic with qop=auth. */
final class DigestMath {
    private DigestMath() {
    }

    static String response(String username, String realm, Password password, String method, String uri,
                           String nonce, String nc, String cnonce) {
        String ha1 = ha1(username, realm, password);
        String ha2 = md5Hex(bytes(method + ":" + uri));
        return md5Hex(bytes(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2));
    }

    private static String ha1(String username, String realm, Password password) {
        byte[] prefix = bytes(username + ":" + realm + ":");
        byte[] secret = password.utf8();
        byte[] all = new byte[prefix.length + secret.length];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        System.arraycopy(secret, 0, all, prefix.length, secret.length);
        try {
            return md5Hex(all);
        } finally {
            Arrays.fill(secret, (byte) 0);
            Arrays.fill(all, (byte) 0);
        }
    }

    static String md5Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has MD5", e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
