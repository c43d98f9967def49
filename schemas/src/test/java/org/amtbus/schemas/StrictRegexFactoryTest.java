package org.amtbus.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StrictRegexFactoryTest {
    @Test
    void endAnchorDoesNotMatchBeforeATrailingNewline() {
        var tenant = StrictRegexFactory.INSTANCE.getRegularExpression("^[a-z0-9][a-z0-9-]{0,62}$");

        assertThat(tenant.matches("acme")).isTrue();
        assertThat(tenant.matches("acme\n")).isFalse();
        assertThat(tenant.matches("acme\r\n")).isFalse();
    }

    @Test
    void leavesDollarsInsideClassesAndEscapesAlone() {
        assertThat(StrictRegexFactory.toJava("^[$a]\\$$")).isEqualTo("^[$a]\\$\\z");
    }
}
