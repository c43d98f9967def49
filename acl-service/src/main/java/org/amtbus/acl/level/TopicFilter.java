package org.amtbus.acl.level;

import java.util.Optional;

/**
 * A validated MQTT topic filter, and the matching rules the ACL decisions are built on.
 *
 * <p>Invariants of {@link #value()}: not null, 1 to {@value #MAX_LENGTH} characters, no NUL;
 * levels are separated by {@code /} (empty levels are allowed, as in MQTT); {@code +} appears only
 * as a whole level; {@code #} appears only as the whole last level.
 *
 * <p>MQTT 3.1.1 section 4.7.2: a topic whose first level starts with {@code $} (such as
 * {@code $SYS/broker/uptime}) is never matched by a filter whose first level is a wildcard, so
 * {@code #} and {@code +/...} never reach {@code $}-topics. Every method here applies that rule.
 *
 * <p>Error messages never repeat the refused text, so untrusted input cannot be injected into logs.
 */
public record TopicFilter(String value) {

    /** Longest filter or topic accepted, in characters (far below MQTT's 65535 bytes on purpose). */
    public static final int MAX_LENGTH = 256;

    private static final String SEPARATOR = "/";
    private static final String SINGLE = "+";
    private static final String MULTI = "#";

    public TopicFilter {
        String problem = filterProblem(value);
        if (problem != null) {
            throw new IllegalArgumentException("invalid topic filter: " + problem);
        }
    }

    /** Parses untrusted input; empty when it is not a valid topic filter. */
    public static Optional<TopicFilter> tryParse(String value) {
        return filterProblem(value) == null ? Optional.of(new TopicFilter(value)) : Optional.empty();
    }

    /**
     * Returns {@code topic} if it is a valid concrete topic name: the filter rules plus no
     * {@code +} or {@code #} anywhere.
     *
     * @throws IllegalArgumentException otherwise
     */
    public static String requireConcreteTopic(String topic) {
        String problem = topicProblem(topic);
        if (problem != null) {
            throw new IllegalArgumentException("invalid topic name: " + problem);
        }
        return topic;
    }

    /** True iff {@link #requireConcreteTopic(String)} would accept {@code topic}. */
    public static boolean isConcreteTopic(String topic) {
        return topicProblem(topic) == null;
    }

    /** True iff this filter contains {@code +} or {@code #}. */
    public boolean hasWildcard() {
        return value.contains(SINGLE) || value.contains(MULTI);
    }

    /**
     * True iff this filter matches the concrete topic name {@code topic} under the MQTT rules.
     * Returns false (never throws) for anything that is not a valid concrete topic name, including
     * null and topics containing wildcards.
     */
    public boolean matches(String topic) {
        if (!isConcreteTopic(topic)) {
            return false;
        }
        String[] f = levels(value);
        String[] t = levels(topic);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals(MULTI)) {
                return !(i == 0 && isSystem(t[0]));
            }
            if (i == t.length) {
                return false;
            }
            if (f[i].equals(SINGLE)) {
                if (i == 0 && isSystem(t[0])) {
                    return false;
                }
            } else if (!f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }

    /**
     * Filter containment: true iff every topic name that {@code other} can match is also matched by
     * this filter. A subscription to {@code other} is therefore within a grant on this filter.
     * Examples: {@code a/#} covers {@code a/+/c} and {@code a}; {@code a/+} does not cover
     * {@code a/#}; {@code #} covers every filter whose first level does not start with {@code $}.
     */
    public boolean covers(TopicFilter other) {
        String[] f = levels(value);
        String[] g = levels(other.value);
        for (int i = 0; ; i++) {
            if (i == f.length) {
                return i == g.length;
            }
            if (f[i].equals(MULTI)) {
                // matches any remainder, including none; only the $ rule on the first level can fail
                return !(i == 0 && isSystem(g[0]));
            }
            if (i == g.length) {
                return false;
            }
            if (g[i].equals(MULTI)) {
                // other matches every non-$ topic from here. Below the first level that includes
                // the parent (no level at all), which only '#' matches. On the first level a topic
                // needs at least one level, so '+/#' matches exactly what '#' does.
                return i == 0 && f[0].equals(SINGLE) && f.length == 2 && f[1].equals(MULTI);
            }
            if (g[i].equals(SINGLE)) {
                if (!f[i].equals(SINGLE)) {
                    return false;
                }
            } else if (f[i].equals(SINGLE)) {
                if (i == 0 && isSystem(g[0])) {
                    return false;
                }
            } else if (!f[i].equals(g[i])) {
                return false;
            }
        }
    }

    /**
     * Overlap: true iff at least one topic name is matched by both this filter and {@code other}.
     * Symmetric. Used to apply explicit denies to subscriptions.
     */
    public boolean intersects(TopicFilter other) {
        String[] f = levels(value);
        String[] g = levels(other.value);
        for (int i = 0; ; i++) {
            boolean fEnd = i == f.length;
            boolean gEnd = i == g.length;
            if (fEnd && gEnd) {
                return true;
            }
            boolean fMulti = !fEnd && f[i].equals(MULTI);
            boolean gMulti = !gEnd && g[i].equals(MULTI);
            if (fMulti || gMulti) {
                if (i == 0) {
                    // a '#' on the first level meets the other side only on non-$ topics
                    String otherFirst = fMulti ? g[0] : f[0];
                    return !isSystem(otherFirst);
                }
                return true;
            }
            if (fEnd || gEnd) {
                return false;
            }
            boolean fSingle = f[i].equals(SINGLE);
            boolean gSingle = g[i].equals(SINGLE);
            if (fSingle && gSingle) {
                continue;
            }
            if (fSingle || gSingle) {
                if (i == 0 && isSystem(fSingle ? g[0] : f[0])) {
                    return false;
                }
                continue;
            }
            if (!f[i].equals(g[i])) {
                return false;
            }
        }
    }

    @Override
    public String toString() {
        return value;
    }

    private static boolean isSystem(String firstLevel) {
        return firstLevel.startsWith("$");
    }

    private static String[] levels(String s) {
        return s.split(SEPARATOR, -1);
    }

    private static String commonProblem(String s) {
        if (s == null) {
            return "missing";
        }
        if (s.isEmpty()) {
            return "empty";
        }
        if (s.length() > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " characters";
        }
        if (s.indexOf('\0') >= 0) {
            return "contains NUL";
        }
        return null;
    }

    private static String filterProblem(String s) {
        String common = commonProblem(s);
        if (common != null) {
            return common;
        }
        String[] levels = levels(s);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.length() > 1 && (level.contains(SINGLE) || level.contains(MULTI))) {
                return "'+' and '#' must be a whole level";
            }
            if (level.equals(MULTI) && i != levels.length - 1) {
                return "'#' must be the last level";
            }
        }
        return null;
    }

    private static String topicProblem(String s) {
        String common = commonProblem(s);
        if (common != null) {
            return common;
        }
        if (s.contains(SINGLE) || s.contains(MULTI)) {
            return "wildcards are not allowed in a topic name";
        }
        return null;
    }
}
