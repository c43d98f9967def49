package org.amtbus.acl.level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicFilterTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "a/b", "/", "a//b", "/a", "a/", "+", "#", "a/+/c", "a/#", "+/+", "$SYS/#", "{tenant}/x"})
    void acceptsValidFilters(String value) {
        assertThat(new TopicFilter(value).value()).isEqualTo(value);
        assertThat(TopicFilter.tryParse(value)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a+", "a/b+/c", "a#", "#/a", "a/#/b", "a/##", "++", "a\0b"})
    void refusesInvalidFilters(String value) {
        assertThatThrownBy(() -> new TopicFilter(value)).isInstanceOf(IllegalArgumentException.class);
        assertThat(TopicFilter.tryParse(value)).isEmpty();
    }

    @Test
    void refusesNullAndOverlongFiltersWithoutEchoingTheInput() {
        assertThatThrownBy(() -> new TopicFilter(null)).isInstanceOf(IllegalArgumentException.class);
        String overlong = "x".repeat(TopicFilter.MAX_LENGTH + 1);
        assertThatThrownBy(() -> new TopicFilter(overlong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining(overlong);
        assertThat(TopicFilter.tryParse("x".repeat(TopicFilter.MAX_LENGTH))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"+", "#", "a/+", "a/#", "", "a\0", "a+b"})
    void requireConcreteTopicRefusesWildcardsAndInvalidNames(String topic) {
        assertThatThrownBy(() -> TopicFilter.requireConcreteTopic(topic)).isInstanceOf(IllegalArgumentException.class);
        assertThat(TopicFilter.isConcreteTopic(topic)).isFalse();
    }

    @Test
    void requireConcreteTopicReturnsAValidName() {
        assertThat(TopicFilter.requireConcreteTopic("amtbus/v1/acme/devices/d1")).isEqualTo("amtbus/v1/acme/devices/d1");
        assertThat(TopicFilter.requireConcreteTopic("$SYS/broker/uptime")).isEqualTo("$SYS/broker/uptime");
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "a/b/c    | a/b/c        | true",
        "a/b/c    | a/b          | false",
        "a/b      | a/b/c        | false",
        "a/+/c    | a/x/c        | true",
        "a/+/c    | a//c         | true",
        "a/+/c    | a/x/y/c      | false",
        "a/+      | a            | false",
        "a/+      | a/           | true",
        "a/#      | a            | true",
        "a/#      | a/b/c/d      | true",
        "a/#      | ab           | false",
        "#        | a            | true",
        "#        | /            | true",
        "+        | a            | true",
        "+        | a/b          | false",
        "+/+      | /a           | true",
        "/+       | /a           | true",
        "#        | $SYS/uptime  | false",
        "#        | $x           | false",
        "+/uptime | $SYS/uptime  | false",
        "+/#      | $SYS/uptime  | false",
        "$SYS/#   | $SYS/uptime  | true",
        "$SYS/+   | $SYS/uptime  | true",
        "a/+/#    | a/$x/y       | true",
        "A        | a            | false",
    })
    void matchesConcreteTopicsByTheMqttRules(String filter, String topic, boolean expected) {
        assertThat(new TopicFilter(filter).matches(topic)).isEqualTo(expected);
    }

    @Test
    void neverMatchesSomethingThatIsNotAConcreteTopic() {
        TopicFilter all = new TopicFilter("#");
        assertThat(all.matches(null)).isFalse();
        assertThat(all.matches("")).isFalse();
        assertThat(all.matches("a/+")).isFalse();
        assertThat(all.matches("a/#")).isFalse();
        assertThat(all.matches("a\0")).isFalse();
    }

    /** f covers g: every topic g can match is matched by f. Many rows are listed in both directions. */
    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "a/#          | a/+/c         | true",
        "a/+/c        | a/#           | false",
        "a/+          | a/#           | false",
        "a/#          | a/+           | true",
        "+/b          | x/b           | true",
        "x/b          | +/b           | false",
        "#            | a/b/c         | true",
        "a/b/c        | #             | false",
        "#            | #             | true",
        "#            | +             | true",
        "+            | #             | false",
        "#            | +/#           | true",
        "+/#          | #             | true",
        "+/+/#        | #             | false",
        "a/+/#        | a/#           | false",
        "+/#          | $SYS/#        | false",
        "a/#          | a             | true",
        "a            | a/#           | false",
        "a/#          | a/#           | true",
        "a/+/#        | a/#           | false",
        "a/#          | a/+/#         | true",
        "a/+/c        | a/+/c         | true",
        "a/+/c        | a/b/c         | true",
        "a/b/c        | a/+/c         | false",
        "a/+/+        | a/+/c         | true",
        "a/+/c        | a/+/+         | false",
        "a/b          | a/b           | true",
        "a/b          | a/c           | false",
        "a/b          | a/b/c         | false",
        "a/b/c        | a/b           | false",
        "a/+          | a/+/+         | false",
        "+/+          | a/b           | true",
        "+            | /             | false",
        "+/+          | /             | true",
        "#            | $SYS/#        | false",
        "#            | $SYS/uptime   | false",
        "+/#          | $SYS/#        | false",
        "+/uptime     | $SYS/uptime   | false",
        "$SYS/#       | $SYS/uptime   | true",
        "$SYS/#       | #             | false",
        "$SYS/+       | $SYS/uptime   | true",
        "a/+          | a/$x          | true",
        "amtbus/v1/acme/#   | amtbus/v1/#            | false",
        "amtbus/v1/#        | amtbus/v1/acme/#       | true",
        "amtbus/v1/acme/#   | amtbus/v1/+/devices/#  | false",
        "amtbus/v1/+/devices/# | amtbus/v1/acme/devices/# | true",
    })
    void coversIffEveryTopicTheOtherCanMatchIsMatched(String f, String g, boolean expected) {
        assertThat(new TopicFilter(f).covers(new TopicFilter(g))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} intersects {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "a/#       | a/b/c      | true",
        "a/+/c     | a/b/+      | true",
        "a/+/c     | a/b/d      | false",
        "a/+       | a/b/c      | false",
        "a         | a/#        | true",
        "#         | $SYS/#     | false",
        "+/x       | $SYS/x     | false",
        "+/#       | +/x        | true",
        "$SYS/#    | $SYS/+     | true",
        "a/secret/#| a/+/x      | true",
        "a/secret/#| a/public/# | false",
    })
    void intersectsIffSomeTopicIsMatchedByBoth(String f, String g, boolean expected) {
        assertThat(new TopicFilter(f).intersects(new TopicFilter(g))).isEqualTo(expected);
        assertThat(new TopicFilter(g).intersects(new TopicFilter(f))).isEqualTo(expected);
    }
}
