package org.amtbus.acl.level;

import java.util.Objects;

/**
 * One concrete ACL row: an account holds {@code level} on every topic {@code pattern} matches.
 *
 * <p>Invariant: both components are non-null. The pattern is already resolved: it contains no
 * placeholder substitution left to do (see {@link GrantTemplate} for tenant-scoped rows).
 */
public record Grant(TopicFilter pattern, AclLevel level) {

    public Grant {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(level, "level");
    }

    /** Convenience for literals in code and tests; {@code pattern} is validated as a topic filter. */
    public static Grant of(String pattern, AclLevel level) {
        return new Grant(new TopicFilter(pattern), level);
    }
}
