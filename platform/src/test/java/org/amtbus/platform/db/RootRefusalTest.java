package org.amtbus.platform.db;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RootRefusalTest {

    @Test
    void refusesRootWithOneActionableLine() {
        // when / then
        assertThatThrownBy(() -> RootRefusal.requireNotRoot(0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("embedded PostgreSQL cannot run as root; run amtbus as an unprivileged user (./amtbus does this for you)")
                .hasNoCause();
    }

    @Test
    void acceptsUnprivilegedUsersAndPlatformsWithoutUid() {
        assertThatCode(() -> RootRefusal.requireNotRoot(999)).doesNotThrowAnyException();
        assertThatCode(() -> RootRefusal.requireNotRoot(-1)).doesNotThrowAnyException();
    }
}
