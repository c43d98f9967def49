package org.amtbus.wsman.digest;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A secret held as characters. {@link #toString()} prints {@code [hidden]}; the value leaves only as a copy
 * through {@link #utf8()}, which callers clear after use. {@link #destroy()} zeroes it. Thread-safe.
 */
public final class Password {
    private final char[] chars;
    private volatile boolean destroyed;

    private Password(char[] chars) {
        this.chars = chars;
    }

    /** Copies {@code value}; the caller may clear its array afterwards. */
    public static Password of(char[] value) {
        if (value == null || value.length == 0) {
            throw new IllegalArgumentException("password must not be empty");
        }
        return new Password(value.clone());
    }

    public static Password of(String value) {
        return of(value.toCharArray());
    }

    /** A fresh copy of the UTF-8 bytes; clear it when done. */
    public synchronized byte[] utf8() {
        if (destroyed) {
            throw new IllegalStateException("password was destroyed");
        }
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] out = new byte[encoded.remaining()];
        encoded.get(out);
        Arrays.fill(encoded.array(), (byte) 0);
        return out;
    }

    /** True when both hold the same characters; compares in time independent of where they differ. */
    public synchronized boolean sameAs(Password other) {
        byte[] a = utf8();
        byte[] b = other.utf8();
        try {
            return java.security.MessageDigest.isEqual(a, b);
        } finally {
            Arrays.fill(a, (byte) 0);
            Arrays.fill(b, (byte) 0);
        }
    }

    public synchronized void destroy() {
        Arrays.fill(chars, '\0');
        destroyed = true;
    }

    @Override
    public String toString() {
        return "[hidden]";
    }
}
