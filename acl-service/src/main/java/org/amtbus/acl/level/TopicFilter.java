package org.amtbus.acl.level;

import java.util.Objects;

/**
 * An MQTT topic filter: levels separated by {@code /}, {@code +} only as a whole level, {@code #} only
 * as the whole last level. A concrete topic name is a filter without wildcards.
 *
 * <p>Invariants: validated on construction (no NUL, at most {@link #MAX_LENGTH} characters, not empty);
 * a filter whose first level is a wildcard never matches a topic starting with {@code $} (MQTT 4.7.2).
 */
public record TopicFilter(String value) {

    public static final int MAX_LENGTH = 256;

    public TopicFilter {
        Objects.requireNonNull(value, "filter");
        if (value.isEmpty() || value.length() > MAX_LENGTH || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a topic filter is 1-" + MAX_LENGTH + " characters without NUL");
        }
        String[] levels = value.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            if (levels[i].contains("#") && (!levels[i].equals("#") || i != levels.length - 1)) {
                throw new IllegalArgumentException("'#' must be the whole last level");
            }
            if (levels[i].contains("+") && !levels[i].equals("+")) {
                throw new IllegalArgumentException("'+' must be a whole level");
            }
        }
    }

    public boolean hasWildcards() {
        return value.indexOf('+') >= 0 || value.indexOf('#') >= 0;
    }

    /** True when this filter matches the concrete topic name {@code topic}. */
    public boolean matches(String topic) {
        TopicFilter concrete = new TopicFilter(topic);
        if (concrete.hasWildcards()) {
            throw new IllegalArgumentException("not a topic name: " + topic);
        }
        return covers(concrete);
    }

    /** True when every topic {@code other} can match is matched by this filter. */
    public boolean covers(TopicFilter other) {
        String[] a = value.split("/", -1);
        String[] b = other.value.split("/", -1);
        if (b[0].startsWith("$") && isWildcard(a[0])) {
            return false;
        }
        return covers(a, 0, b, 0);
    }

    /** True when some topic is matched by both filters (used to apply explicit denies conservatively). */
    public boolean intersects(TopicFilter other) {
        return intersects(value.split("/", -1), 0, other.value.split("/", -1), 0);
    }

    private static boolean covers(String[] a, int i, String[] b, int j) {
        while (true) {
            if (i == a.length) {
                return j == b.length;
            }
            if (a[i].equals("#")) {
                return true;
            }
            if (j == b.length || b[j].equals("#")) {
                return false;
            }
            if (!a[i].equals("+") && (b[j].equals("+") || !a[i].equals(b[j]))) {
                return false;
            }
            i++;
            j++;
        }
    }

    private static boolean intersects(String[] a, int i, String[] b, int j) {
        while (true) {
            if ((i < a.length && a[i].equals("#")) || (j < b.length && b[j].equals("#"))) {
                return true;
            }
            if (i == a.length || j == b.length) {
                return i == a.length && j == b.length;
            }
            if (!a[i].equals("+") && !b[j].equals("+") && !a[i].equals(b[j])) {
                return false;
            }
            i++;
            j++;
        }
    }

    private static boolean isWildcard(String level) {
        return level.equals("+") || level.equals("#");
    }

    @Override
    public String toString() {
        return value;
    }
}
