package org.amtbus.platform.secret;

import java.util.regex.Pattern;

/**
 * The name of a secret, path-like: {@code devices/<guid>/amt-admin}, {@code accounts/svc-gateway}.
 * Names appear in audit events and logs; values never do.
 */
public record SecretName(String value) {

    public static final int MAX_LENGTH = 200;
    private static final Pattern SEGMENTS = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}(/[a-z0-9][a-z0-9._-]{0,99}){0,7}");

    public SecretName {
        if (value == null || value.length() > MAX_LENGTH || !SEGMENTS.matcher(value).matches()) {
            throw new IllegalArgumentException("secret name must be 1-8 '/'-separated segments of [a-z0-9._-], "
                    + "each starting with a letter or digit, at most " + MAX_LENGTH + " characters");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
