package org.amtbus.acl.password;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a human's password must be: at least {@link #MIN_LENGTH} characters, at most
 * {@link #MAX_LENGTH}, not the username (nor containing it), and not one of the commonly used
 * passwords shipped with amtbus. Service accounts get random credentials and never meet this check.
 */
public final class PasswordPolicy {

    public static final int MIN_LENGTH = 12;
    /** Argon2 input stays bounded; nobody types more. */
    public static final int MAX_LENGTH = 256;
    private static final String COMMON = "common-passwords.txt";

    private final Set<String> common;

    public PasswordPolicy() {
        this.common = loadCommon();
    }

    /** Empty when acceptable, otherwise the reason (never containing the password). */
    public Optional<String> check(String username, char[] password) {
        if (password.length < MIN_LENGTH) {
            return Optional.of("a password needs at least " + MIN_LENGTH + " characters");
        }
        if (password.length > MAX_LENGTH) {
            return Optional.of("a password may have at most " + MAX_LENGTH + " characters");
        }
        String lower = new String(password).toLowerCase(Locale.ROOT);
        if (username != null && !username.isEmpty() && lower.contains(username.toLowerCase(Locale.ROOT))) {
            return Optional.of("a password must not contain the username");
        }
        if (common.contains(lower) || isOneRepeatedCharacter(lower)) {
            return Optional.of("this password is too common");
        }
        return Optional.empty();
    }

    private static boolean isOneRepeatedCharacter(String s) {
        return s.chars().distinct().count() <= 2;
    }

    private static Set<String> loadCommon() {
        Set<String> set = new HashSet<>();
        try (InputStream in = PasswordPolicy.class.getResourceAsStream(COMMON)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + COMMON);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    set.add(line.strip().toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(set);
    }
}
