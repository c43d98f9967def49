package org.amtbus.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Reads a secret from standard input (never from the command line), bounded, dropping one trailing newline. */
final class Stdin {

    /** The longest value accepted: secrets are passwords, tokens and keys, not files. */
    static final int MAX_BYTES = 16 * 1024;

    private Stdin() {
    }

    static byte[] readSecret(InputStream in, String what) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        int n;
        while ((n = in.read(buffer)) != -1) {
            out.write(buffer, 0, n);
            if (out.size() > MAX_BYTES) {
                throw new StartupException(StartupException.CONFIGURATION, what + ": longer than " + MAX_BYTES + " bytes");
            }
        }
        byte[] value = out.toByteArray();
        int length = value.length;
        if (length > 0 && value[length - 1] == '\n') {
            length--;
        }
        if (length > 0 && value[length - 1] == '\r') {
            length--;
        }
        byte[] trimmed = Arrays.copyOf(value, length);
        Arrays.fill(value, (byte) 0);
        if (trimmed.length == 0) {
            throw new StartupException(StartupException.CONFIGURATION, what + ": standard input was empty");
        }
        return trimmed;
    }

    static char[] readSecretChars(InputStream in, String what) throws IOException {
        byte[] bytes = readSecret(in, what);
        try {
            java.nio.CharBuffer chars = java.nio.charset.StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(bytes));
            char[] result = new char[chars.remaining()];
            chars.get(result);
            return result;
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
