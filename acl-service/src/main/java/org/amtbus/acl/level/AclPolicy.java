package org.amtbus.acl.level;

import java.util.List;
import java.util.Objects;

/**
 * The access of one account: superuser, or a list of (pattern, level) grants.
 *
 * <p>Decisions, default deny:
 * <ul>
 *   <li>publish is checked on the exact topic: allowed when a grant with level 2 or 3 matches it;</li>
 *   <li>subscribe is checked on the filter: allowed only when a grant with level 1 or 3 covers every
 *       topic the filter can match (so {@code #} is refused unless granted {@code #});</li>
 *   <li>an explicit level-0 grant is a deny that wins over wider grants: a topic it matches cannot be
 *       published, and a filter that could reach it cannot be subscribed;</li>
 *   <li>a superuser may do everything.</li>
 * </ul>
 * Immutable and thread-safe; decisions only read memory (safe on an event loop).
 */
public final class AclPolicy {

    /** One grant as the engine uses it. */
    public record Grant(TopicFilter pattern, AclLevel level) {
        public Grant {
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(level, "level");
        }
    }

    private static final AclPolicy NOTHING = new AclPolicy(false, List.of());
    private static final AclPolicy EVERYTHING = new AclPolicy(true, List.of());

    private final boolean superuser;
    private final List<Grant> grants;

    private AclPolicy(boolean superuser, List<Grant> grants) {
        this.superuser = superuser;
        this.grants = List.copyOf(grants);
    }

    public static AclPolicy superuser() {
        return EVERYTHING;
    }

    public static AclPolicy none() {
        return NOTHING;
    }

    public static AclPolicy of(List<Grant> grants) {
        return new AclPolicy(false, grants);
    }

    public boolean canPublish(String topic) {
        if (superuser) {
            return true;
        }
        TopicFilter name = new TopicFilter(topic);
        if (name.hasWildcards()) {
            return false;
        }
        boolean denied = grants.stream().anyMatch(g -> g.level() == AclLevel.NONE && g.pattern().covers(name));
        return !denied && grants.stream().anyMatch(g -> g.level().allowsPublish() && g.pattern().covers(name));
    }

    public boolean canSubscribe(String filter) {
        if (superuser) {
            return true;
        }
        TopicFilter wanted = new TopicFilter(filter);
        boolean denied = grants.stream().anyMatch(g -> g.level() == AclLevel.NONE && g.pattern().intersects(wanted));
        return !denied && grants.stream().anyMatch(g -> g.level().allowsSubscribe() && g.pattern().covers(wanted));
    }
}
