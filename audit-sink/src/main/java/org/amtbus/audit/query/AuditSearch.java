package org.amtbus.audit.query;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A search of the audit trail; every criterion is optional (null) except the limit.
 *
 * @param type  an event type ({@code auth.login}) or a prefix ending in {@code .*} ({@code auth.*})
 * @param actor an actor name, matched exactly
 * @param since events at or after this time
 * @param until events before this time
 * @param limit at most this many events, 1 to {@value #MAX_LIMIT}: the newest that match
 */
public record AuditSearch(String type, String actor, Instant since, Instant until, int limit) {

    public static final int MAX_LIMIT = 10_000;
    public static final int DEFAULT_LIMIT = 100;
    private static final Pattern TYPE = Pattern.compile("[a-z]+(\\.[a-z-]+)*(\\.\\*)?");
    private static final Pattern ACTOR = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");

    public AuditSearch {
        if (type != null && (type.length() > 64 || !TYPE.matcher(type).matches())) {
            throw new IllegalArgumentException("type must be an event type such as auth.login, or a prefix such as auth.*");
        }
        if (actor != null && !ACTOR.matcher(actor).matches()) {
            throw new IllegalArgumentException("actor must be an actor name (letters, digits, '.', '_', '@', '-')");
        }
        if (since != null && until != null && !since.isBefore(until)) {
            throw new IllegalArgumentException("since must be before until");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", was " + limit);
        }
    }

    /** Everything, newest {@link #DEFAULT_LIMIT}. */
    public static AuditSearch all() {
        return new AuditSearch(null, null, null, null, DEFAULT_LIMIT);
    }

    public AuditSearch withType(String value) {
        return new AuditSearch(value, actor, since, until, limit);
    }

    public AuditSearch withActor(String value) {
        return new AuditSearch(type, value, since, until, limit);
    }

    public AuditSearch between(Instant from, Instant to) {
        return new AuditSearch(type, actor, from, to, limit);
    }

    public AuditSearch withLimit(int value) {
        return new AuditSearch(type, actor, since, until, value);
    }
}
