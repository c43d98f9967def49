package org.amtbus.acl.level;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A stored ACL row whose pattern may contain placeholders, resolved per {@link Identity} into
 * concrete {@link Grant}s.
 *
 * <p>Placeholders: {@value #TENANT}, {@value #USERNAME} and {@value #CLIENT_ID}. Invariants: each
 * placeholder occupies a whole level; no other braces appear; replacing the placeholders by a
 * literal level yields a valid {@link TopicFilter}. Values substituted come only from an
 * {@link Identity}, so they are single literal levels that can never widen the pattern.
 *
 * <p>Resolution: {@value #TENANT} yields one grant per tenant of the identity (every occurrence in
 * the pattern takes the same tenant). When a placeholder has no value (no tenants, no client id):
 * <ul>
 *   <li>an allowing template (level 1-3) yields no grant - it fails closed;</li>
 *   <li>a {@link AclLevel#NONE} template yields one deny with {@code +} in that level, i.e. it denies
 *       for every possible value - also failing closed, since dropping a deny would widen access.</li>
 * </ul>
 */
public record GrantTemplate(String pattern, AclLevel level) {

    public static final String TENANT = "{tenant}";
    public static final String USERNAME = "{username}";
    public static final String CLIENT_ID = "{clientid}";

    public GrantTemplate {
        Objects.requireNonNull(level, "level");
        if (pattern == null) {
            throw new IllegalArgumentException("invalid grant pattern: missing");
        }
        StringBuilder probe = new StringBuilder();
        for (String lvl : pattern.split("/", -1)) {
            boolean placeholder = lvl.equals(TENANT) || lvl.equals(USERNAME) || lvl.equals(CLIENT_ID);
            if (!placeholder && (lvl.indexOf('{') >= 0 || lvl.indexOf('}') >= 0)) {
                throw new IllegalArgumentException("invalid grant pattern: only " + TENANT + ", " + USERNAME
                        + " and " + CLIENT_ID + " are placeholders, each as a whole level");
            }
            if (!probe.isEmpty()) {
                probe.append('/');
            }
            probe.append(placeholder ? "x" : lvl);
        }
        if (TopicFilter.tryParse(probe.toString()).isEmpty()) {
            throw new IllegalArgumentException("invalid grant pattern: not a valid topic filter");
        }
    }

    /** True iff the pattern contains at least one placeholder. */
    public boolean hasPlaceholder() {
        return pattern.contains(TENANT) || pattern.contains(USERNAME) || pattern.contains(CLIENT_ID);
    }

    /**
     * The concrete grants this row gives {@code identity}; see the class comment for the rules.
     *
     * @throws IllegalArgumentException if a substituted pattern exceeds {@link TopicFilter#MAX_LENGTH};
     *     callers must then build no policy at all (deny everything) rather than skip the row
     */
    public List<Grant> resolve(Identity identity) {
        Objects.requireNonNull(identity, "identity");
        boolean deny = level == AclLevel.NONE;
        String withUser = pattern.replace(USERNAME, identity.username());
        String withClient;
        if (identity.clientId() != null) {
            withClient = withUser.replace(CLIENT_ID, identity.clientId());
        } else if (withUser.contains(CLIENT_ID)) {
            if (!deny) {
                return List.of();
            }
            withClient = withUser.replace(CLIENT_ID, "+");
        } else {
            withClient = withUser;
        }
        if (!withClient.contains(TENANT)) {
            return List.of(toGrant(withClient));
        }
        if (identity.tenants().isEmpty()) {
            return deny ? List.of(toGrant(withClient.replace(TENANT, "+"))) : List.of();
        }
        List<Grant> grants = new ArrayList<>(identity.tenants().size());
        for (String tenant : identity.tenants()) {
            grants.add(toGrant(withClient.replace(TENANT, tenant)));
        }
        return List.copyOf(grants);
    }

    /** Resolves every template in {@code templates} for {@code identity}, in order. */
    public static List<Grant> resolveAll(List<GrantTemplate> templates, Identity identity) {
        List<Grant> grants = new ArrayList<>();
        for (GrantTemplate template : templates) {
            grants.addAll(template.resolve(identity));
        }
        return List.copyOf(grants);
    }

    private Grant toGrant(String resolved) {
        // substituted values are single literal levels, but re-validate: the length limit may bite
        return new Grant(new TopicFilter(resolved), level);
    }
}
