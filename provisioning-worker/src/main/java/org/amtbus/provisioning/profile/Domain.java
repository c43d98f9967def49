package org.amtbus.provisioning.profile;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.amtbus.schemas.model.TenantId;

/**
 * An ACM provisioning domain as anyone may read it: name, tenant, DNS suffix, and facts about its
 * certificate (leaf subject, root SHA-256, expiry). The .pfx and its password are in the secret store
 * ({@code domains/<name>/pfx}, {@code domains/<name>/pfx-password}) and never part of this record.
 * Invariant: the name is a secret-name segment, global (it names the secrets); the suffix is lowercase.
 */
public record Domain(String name, TenantId tenant, String dnsSuffix, String leafSubject, String rootSha256,
                     Instant expiresAt) {

    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    public static final Pattern SUFFIX = Pattern.compile("[a-z0-9]([a-z0-9-]{0,62})(\\.[a-z0-9]([a-z0-9-]{0,62}))*");

    public Domain {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a domain name is 1 to 64 lowercase letters, digits, '.', '_' or '-'");
        }
        Objects.requireNonNull(tenant, "tenant");
        dnsSuffix = normalizeSuffix(dnsSuffix);
        Objects.requireNonNull(leafSubject, "leafSubject");
        if (rootSha256 == null || !rootSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("rootSha256 must be 64 lowercase hex digits");
        }
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Lowercase, without a trailing dot; throws when it is not a DNS name. */
    public static String normalizeSuffix(String suffix) {
        String s = suffix == null ? "" : suffix.toLowerCase(Locale.ROOT);
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.length() > 253 || !SUFFIX.matcher(s).matches()) {
            throw new IllegalArgumentException("a DNS suffix is a domain name such as corp.example.com");
        }
        return s;
    }
}
