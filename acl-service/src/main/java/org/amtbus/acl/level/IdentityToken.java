package org.amtbus.acl.level;

import java.util.regex.Pattern;

/**
 * The only gate through which a username, client id or tenant may enter a topic pattern.
 *
 * <p>An allow-list, not a deny-list: 1 to {@value #MAX_LENGTH} characters of ASCII letters, digits,
 * {@code .}, {@code _}, {@code @}, {@code :} and {@code -}, starting with a letter or digit. So the
 * MQTT wildcards {@code +} and {@code #}, the level separator {@code /}, NUL, {@code $}, braces
 * (placeholders), quotes, whitespace and every other character are refused, and a substituted
 * identity is always exactly one literal, non-{@code $} topic level.
 */
public final class IdentityToken {

    public static final int MAX_LENGTH = 128;
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:-]{0," + (MAX_LENGTH - 1) + "}");

    private IdentityToken() {
    }

    /** True iff {@code value} may be substituted into a pattern. */
    public static boolean isSafe(String value) {
        return value != null && ALLOWED.matcher(value).matches();
    }

    /**
     * Returns {@code value} if it is safe to substitute.
     *
     * @param kind what the value is ("tenant", "username", "client id"), for the error message only
     * @throws IllegalArgumentException otherwise; the message does not repeat the refused value
     */
    public static String require(String kind, String value) {
        if (!isSafe(value)) {
            throw new IllegalArgumentException(kind + " must be 1-" + MAX_LENGTH
                    + " characters of letters, digits, '.', '_', '@', ':' or '-', starting with a letter or digit");
        }
        return value;
    }
}
