package org.amtbus.acl.level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AclLevelTest {

    @Test
    void mapsStoredNumbersToLevelsAndBack() {
        for (int code = 0; code <= 3; code++) {
            assertThat(AclLevel.of(code).code()).isEqualTo(code);
        }
    }

    @Test
    void levelBitsAreSubscribeOneAndPublishTwo() {
        assertThat(AclLevel.NONE.allowsSubscribe()).isFalse();
        assertThat(AclLevel.NONE.allowsPublish()).isFalse();
        assertThat(AclLevel.SUBSCRIBE.allowsSubscribe()).isTrue();
        assertThat(AclLevel.SUBSCRIBE.allowsPublish()).isFalse();
        assertThat(AclLevel.PUBLISH.allowsSubscribe()).isFalse();
        assertThat(AclLevel.PUBLISH.allowsPublish()).isTrue();
        assertThat(AclLevel.BOTH.allowsSubscribe()).isTrue();
        assertThat(AclLevel.BOTH.allowsPublish()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 4, 7, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void refusesAnythingButZeroToThree(int code) {
        assertThatThrownBy(() -> AclLevel.of(code)).isInstanceOf(IllegalArgumentException.class);
    }
}
