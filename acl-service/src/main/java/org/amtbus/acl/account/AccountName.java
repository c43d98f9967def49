package org.amtbus.acl.account;

import java.util.regex.Pattern;

/**
 * The name of a user or service account, as it appears in MQTT CONNECT and in audit events.
 *
 * <p>Invariant: never contains the MQTT wildcards {@code +} and {@code #}, the level separator
 * {@code /}, NUL, or whitespace, so a name can never widen a topic pattern it is substituted into.
 */
public record AccountName(String value) {

    public static final int MAX_LENGTH = 64;
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0," + (MAX_LENGTH - 1) + "}");

    public AccountName {
        if (value == null || !ALLOWED.matcher(value).matches()) {
            throw new IllegalArgumentException("account name must be 1-" + MAX_LENGTH
                    + " characters of letters, digits, '.', '_', '@' or '-', starting with a letter or digit");
        }
    }

    /** Parses untrusted input; empty when it is not a valid name. */
    public static java.util.Optional<AccountName> tryParse(String value) {
        if (value == null || !ALLOWED.matcher(value).matches()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new AccountName(value));
    }

    @Override
    public String toString() {
        return value;
    }
}
