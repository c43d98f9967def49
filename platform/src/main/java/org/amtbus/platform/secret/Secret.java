package org.amtbus.platform.secret;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A secret value. {@link #toString()} prints {@code [hidden]}; there is no {@code equals} (use
 * {@link #matches(Secret)}, which compares in constant time); reading the value takes a method whose
 * name makes a reviewer look twice.
 */
public final class Secret {

    private final byte[] value;

    private Secret(byte[] value) {
        this.value = value;
    }

    public static Secret ofBytes(byte[] value) {
        return new Secret(value.clone());
    }

    public static Secret ofChars(char[] value) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(value));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        return new Secret(bytes);
    }

    /** A copy of the value as bytes; the caller should clear it when done. */
    public byte[] revealBytes() {
        return value.clone();
    }

    /** A copy of the value as UTF-8 characters; the caller should clear it when done. */
    public char[] revealChars() {
        CharBuffer decoded = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(value));
        char[] chars = new char[decoded.remaining()];
        decoded.get(chars);
        return chars;
    }

    /** Constant-time comparison. */
    public boolean matches(Secret other) {
        return other != null && MessageDigest.isEqual(value, other.value);
    }

    public int length() {
        return value.length;
    }

    /** Overwrites the value; the secret is unusable afterwards. */
    public void destroy() {
        Arrays.fill(value, (byte) 0);
    }

    @Override
    public String toString() {
        return "[hidden]";
    }
}
