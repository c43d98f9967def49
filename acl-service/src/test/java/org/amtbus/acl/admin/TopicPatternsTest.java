package org.amtbus.acl.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicPatternsTest {

    @Test
    void acceptsFiltersAndTheTenantPlaceholder() {
        assertThat(TopicPatterns.problem("amtbus/v1/acme/devices/+/commands")).isEmpty();
        assertThat(TopicPatterns.problem("amtbus/v1/{tenant}/#")).isEmpty();
        assertThat(TopicPatterns.problem("#")).isEmpty();
        assertThat(TopicPatterns.problem("amtbus/v1/acme/agents/{username}/#")).isEmpty();
    }

    @Test
    void refusesMisplacedWildcardsPlaceholdersAndControlCharacters() {
        assertThat(TopicPatterns.problem("amtbus/#/x")).contains("'#' must be the whole last level");
        assertThat(TopicPatterns.problem("amtbus/a#")).contains("'#' must be the whole last level");
        assertThat(TopicPatterns.problem("amtbus/a+/x")).contains("'+' must be a whole level");
        assertThat(TopicPatterns.problem("amtbus/{user}/x")).contains("placeholders are whole levels: {tenant}, {username} or {clientid}");
        assertThat(TopicPatterns.problem("a\u0000b")).contains("contains a control character");
        assertThat(TopicPatterns.problem("")).contains("must not be empty");
        assertThat(TopicPatterns.problem("a/".repeat(200))).contains("longer than 256 characters");
    }
}
