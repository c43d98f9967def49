package org.amtbus.acl.admin;

import java.util.Optional;

/**
 * Syntax of a grant's topic pattern, with a precise reason for each mistake: an MQTT topic filter
 * whose levels may also be the placeholders {@code {tenant}}, {@code {username}} or {@code {clientid}}. Checked before a pattern is stored, so a malformed pattern never reaches a decision.
 */
final class TopicPatterns {

    static final int MAX_LENGTH = 256;
    private static final java.util.Set<String> PLACEHOLDERS = java.util.Set.of(
            org.amtbus.acl.level.GrantTemplate.TENANT, org.amtbus.acl.level.GrantTemplate.USERNAME,
            org.amtbus.acl.level.GrantTemplate.CLIENT_ID);

    private TopicPatterns() {
    }

    /** Empty when {@code pattern} is acceptable, otherwise what is wrong with it. */
    static Optional<String> problem(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (pattern.length() > MAX_LENGTH) {
            return Optional.of("longer than " + MAX_LENGTH + " characters");
        }
        if (pattern.indexOf('\0') >= 0 || pattern.chars().anyMatch(Character::isISOControl)) {
            return Optional.of("contains a control character");
        }
        String[] levels = pattern.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                return Optional.of("'#' must be the whole last level");
            }
            if (level.contains("+") && !level.equals("+")) {
                return Optional.of("'+' must be a whole level");
            }
            if ((level.contains("{") || level.contains("}")) && !PLACEHOLDERS.contains(level)) {
                return Optional.of("placeholders are whole levels: {tenant}, {username} or {clientid}");
            }
        }
        return Optional.empty();
    }
}
