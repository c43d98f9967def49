package org.amtbus.apf;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Field checks shared by the message records; they throw {@link IllegalArgumentException}. */
final class ApfFields {

    static final int MAX_PORT = 0xFFFF;

    private ApfFields() {
    }

    static long u32(long value, String name) {
        if (value < 0 || value > ApfLimits.U32_MAX) {
            throw new IllegalArgumentException(name + " is not an unsigned 32-bit value: " + value);
        }
        return value;
    }

    static long port(long value, String name) {
        if (value < 0 || value > MAX_PORT) {
            throw new IllegalArgumentException(name + " is not a port: " + value);
        }
        return value;
    }

    /** Checks that {@code value} encodes to well-formed UTF-8 of at most {@link ApfLimits#MAX_STRING_LENGTH} bytes. */
    static String str(String value, String name) {
        Objects.requireNonNull(value, name);
        int length = utf8(value, name).length;
        if (length > ApfLimits.MAX_STRING_LENGTH) {
            throw new IllegalArgumentException(name + " is " + length + " bytes, over " + ApfLimits.MAX_STRING_LENGTH);
        }
        return value;
    }

    /** The UTF-8 bytes of {@code value}; an unpaired surrogate is refused rather than silently replaced. */
    static byte[] utf8(String value, String name) {
        try {
            ByteBuffer bb = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(value));
            byte[] out = new byte[bb.remaining()];
            bb.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(name + " is not well-formed Unicode");
        }
    }

    static byte[] bytes(byte[] value, int max, String name) {
        Objects.requireNonNull(value, name);
        if (value.length > max) {
            throw new IllegalArgumentException(name + " is " + value.length + " bytes, over " + max);
        }
        return value.clone();
    }
}
