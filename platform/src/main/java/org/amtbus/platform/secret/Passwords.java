package org.amtbus.platform.secret;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Random credentials. Every call gives a new value from {@link SecureRandom}; nothing is ever a
 * default or shared.
 */
public final class Passwords {

    /** AMT accepts 8-32 characters with upper, lower, digit and a symbol. */
    public static final int AMT_MIN = 8;
    public static final int AMT_MAX = 32;
    public static final int AMT_DEFAULT_LENGTH = 16;
    private static final String UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private static final String LOWER = "abcdefghijkmnopqrstuvwxyz";
    private static final String DIGITS = "23456789";
    /** No ':' ',' '"' or spaces: they break AMT's parsing or HTTP Digest headers. */
    private static final String SYMBOLS = "!#$%&()*+-./;<=>?@[]^_{|}~";
    private static final String ALL = UPPER + LOWER + DIGITS + SYMBOLS;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Passwords() {
    }

    /** An AMT password of the default length. */
    public static Secret amtPassword() {
        return amtPassword(AMT_DEFAULT_LENGTH);
    }

    /** An AMT password: {@code length} characters with at least one of each class, shuffled. */
    public static Secret amtPassword(int length) {
        if (length < AMT_MIN || length > AMT_MAX) {
            throw new IllegalArgumentException("AMT passwords are " + AMT_MIN + "-" + AMT_MAX + " characters");
        }
        char[] chars = new char[length];
        chars[0] = pick(UPPER);
        chars[1] = pick(LOWER);
        chars[2] = pick(DIGITS);
        chars[3] = pick(SYMBOLS);
        for (int i = 4; i < length; i++) {
            chars[i] = pick(ALL);
        }
        for (int i = length - 1; i > 0; i--) {
            int j = RANDOM.nextInt(i + 1);
            char t = chars[i];
            chars[i] = chars[j];
            chars[j] = t;
        }
        Secret secret = Secret.ofChars(chars);
        java.util.Arrays.fill(chars, '\0');
        return secret;
    }

    /** A random token of {@code bytes} random bytes, base64url without padding. */
    public static Secret token(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        byte[] encoded = Base64.getUrlEncoder().withoutPadding().encode(raw);
        java.util.Arrays.fill(raw, (byte) 0);
        Secret secret = Secret.ofBytes(encoded);
        java.util.Arrays.fill(encoded, (byte) 0);
        return secret;
    }

    /** True when {@code password} meets AMT's complexity rule. */
    public static boolean meetsAmtRule(char[] password) {
        if (password.length < AMT_MIN || password.length > AMT_MAX) {
            return false;
        }
        boolean upper = false, lower = false, digit = false, symbol = false;
        for (char c : password) {
            upper |= Character.isUpperCase(c);
            lower |= Character.isLowerCase(c);
            digit |= Character.isDigit(c);
            symbol |= SYMBOLS.indexOf(c) >= 0;
            if (c == ':' || c == ',' || c == '"' || Character.isWhitespace(c)) {
                return false;
            }
        }
        return upper && lower && digit && symbol;
    }

    private static char pick(String alphabet) {
        return alphabet.charAt(RANDOM.nextInt(alphabet.length()));
    }
}
