package org.amtbus.acl.level;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The topic-level decisions for one account: immutable, thread-safe, pure.
 *
 * <p>Rules, in order:
 * <ol>
 *   <li><b>Reserved topics.</b> Publishing to a topic whose first level starts with {@code $}
 *       ({@code $SYS/...} and the like) is refused for everyone, superusers included: those topics
 *       belong to the broker.</li>
 *   <li><b>Superuser.</b> A superuser may publish to every other topic and subscribe to every filter,
 *       including {@code $SYS/#} (watching the broker is an operator's job). Grants are ignored.</li>
 *   <li><b>Explicit deny.</b> A {@link AclLevel#NONE} grant is a deny evaluated before any allowing
 *       grant, like Mosquitto's {@code deny}: it carves an exception out of a wider grant. A publish is
 *       refused if a NONE pattern matches the topic; a subscription is refused if a NONE pattern
 *       {@linkplain TopicFilter#intersects overlaps} the filter (some topic it could deliver is
 *       denied), so {@code a/#} is refused when {@code a/secret/#} is denied, while {@code a/public/#}
 *       is still allowed.</li>
 *   <li><b>Allow.</b> A publish is allowed iff some grant whose level {@linkplain AclLevel#allowsPublish
 *       allows publishing} matches the exact topic. A subscription is allowed iff a single grant whose
 *       level {@linkplain AclLevel#allowsSubscribe allows subscribing} {@linkplain TopicFilter#covers
 *       covers} the whole filter - a filter wider than every grant is refused, never trimmed.</li>
 *   <li><b>Default deny.</b> Everything else, including invalid topics, is refused.</li>
 * </ol>
 *
 * <p>Shared subscriptions: callers strip {@code $share/<group>/} before asking; otherwise the filter
 * is judged as a literal {@code $share} topic and refused unless a grant names it.
 */
public final class AclPolicy {

    private static final AclPolicy SUPERUSER = new AclPolicy(List.of(), true);
    private static final AclPolicy DENY_ALL = new AclPolicy(List.of(), false);

    private final List<Grant> denies;
    private final List<Grant> allows;
    private final boolean superuser;

    /**
     * @param grants the account's resolved grants, in any order (order never changes a decision)
     * @param superuser true for full access (see the class comment for what it still excludes)
     */
    public AclPolicy(List<Grant> grants, boolean superuser) {
        Objects.requireNonNull(grants, "grants");
        List<Grant> d = new ArrayList<>();
        List<Grant> a = new ArrayList<>();
        for (Grant grant : grants) {
            Objects.requireNonNull(grant, "grant");
            (grant.level() == AclLevel.NONE ? d : a).add(grant);
        }
        this.denies = List.copyOf(d);
        this.allows = List.copyOf(a);
        this.superuser = superuser;
    }

    /** A policy for an ordinary account holding {@code grants}. */
    public static AclPolicy of(List<Grant> grants) {
        return new AclPolicy(grants, false);
    }

    /** Full access (minus publishing to {@code $}-topics). */
    public static AclPolicy superuser() {
        return SUPERUSER;
    }

    /** No access at all: what a new account has. */
    public static AclPolicy denyAll() {
        return DENY_ALL;
    }

    /** Resolves {@code templates} for {@code identity} and builds an ordinary policy from them. */
    public static AclPolicy resolve(List<GrantTemplate> templates, Identity identity) {
        return of(GrantTemplate.resolveAll(templates, identity));
    }

    public boolean isSuperuser() {
        return superuser;
    }

    /** All grants, the denies first. */
    public List<Grant> grants() {
        List<Grant> all = new ArrayList<>(denies);
        all.addAll(allows);
        return List.copyOf(all);
    }

    /** May the account publish to the concrete topic {@code topic}? False for invalid topic names. */
    public boolean canPublish(String topic) {
        if (!TopicFilter.isConcreteTopic(topic) || topic.startsWith("$")) {
            return false;
        }
        if (superuser) {
            return true;
        }
        for (Grant deny : denies) {
            if (deny.pattern().matches(topic)) {
                return false;
            }
        }
        for (Grant grant : allows) {
            if (grant.level().allowsPublish() && grant.pattern().matches(topic)) {
                return true;
            }
        }
        return false;
    }

    /** May the account subscribe to {@code filter}, i.e. receive every topic it can match? */
    public boolean canSubscribe(TopicFilter filter) {
        if (filter == null) {
            return false;
        }
        if (superuser) {
            return true;
        }
        for (Grant deny : denies) {
            if (deny.pattern().intersects(filter)) {
                return false;
            }
        }
        for (Grant grant : allows) {
            if (grant.level().allowsSubscribe() && grant.pattern().covers(filter)) {
                return true;
            }
        }
        return false;
    }

    /** {@link #canSubscribe(TopicFilter)} for untrusted text; false when it is not a valid filter. */
    public boolean canSubscribe(String filter) {
        return TopicFilter.tryParse(filter).map(this::canSubscribe).orElse(false);
    }

    /**
     * May a message on the concrete topic {@code topic} be delivered to the account (go-auth
     * {@code acc=1}, checked per delivered message)? Same as subscribing to exactly that topic.
     */
    public boolean canReceive(String topic) {
        return TopicFilter.isConcreteTopic(topic) && canSubscribe(new TopicFilter(topic));
    }

    @Override
    public String toString() {
        return "AclPolicy[superuser=" + superuser + ", denies=" + denies.size() + ", allows=" + allows.size() + "]";
    }
}
