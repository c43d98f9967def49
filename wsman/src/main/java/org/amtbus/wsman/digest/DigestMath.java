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
        return responseFromHa1(HexFormat.of().formatHex(ha1(username, realm, password)), method, uri, nonce, nc, cnonce);
    }

    /** The response when only HA1 (lowercase hex) is known, as on a device that was given the hash. */
    static String responseFromHa1(String ha1Hex, String method, String uri, String nonce, String nc, String cnonce) {
        String ha2 = md5Hex(bytes(method + ":" + uri));
        return md5Hex(bytes(ha1Hex + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2));
    }

    /** The raw 16 bytes of MD5({@code username:realm:password}). */
    static byte[] ha1(String username, String realm, Password password) {
        byte[] prefix = bytes(username + ":" + realm + ":");
        byte[] secret = password.utf8();
        byte[] all = new byte[prefix.length + secret.length];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        System.arraycopy(secret, 0, all, prefix.length, secret.length);
        try {
            return MessageDigest.getInstance("MD5").digest(all);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has MD5", e);
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
