package org.amtbus.acl.level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TopicFilterTest {

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
            "a/#, a/+/c, true", "a/+/c, a/#, false", "a/+, a/#, false", "a/#, a, true", "a/#, a/b/c/d, true",
            "+/b, x/b, true", "x/b, +/b, false", "#, a/b, true", "#, $SYS/x, false", "+/x, $SYS/x, false",
            "$SYS/#, $SYS/x, true", "a/+/c, a/b/c, true", "a/+/c, a/b/d, false", "a/+/c, a/b/c/d, false",
            "a/+, a/b, true", "a/+, a, false", "a/b, a/b, true", "a/b, a/b/c, false", "a/+/+, a/+/c, true",
            "a/+/c, a/+/+, false", "amtbus/v1/acme/#, amtbus/v1/#, false", "amtbus/v1/#, amtbus/v1/acme/#, true",
            "amtbus/v1/acme/devices/#, amtbus/v1/+/devices/#, false", "amtbus/v1/+/devices/#, amtbus/v1/acme/devices/x/results, true",
            "a//b, a/+/b, false", "a/+/b, a//b, true", "/#, /x, true", "+, /x, false",
    })
    void decidesContainmentLikeMqttMatching(String filter, String other, boolean expected) {
        assertThat(new TopicFilter(filter).covers(new TopicFilter(other))).isEqualTo(expected);
    }

    @Test
    void refusesMalformedFilters() {
        for (String bad : new String[] {"", "a/#/b", "a#", "a/b+", "a\u0000b", "x".repeat(300)}) {
            assertThatThrownBy(() -> new TopicFilter(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void coversImpliesEveryMatchedTopicIsMatched() {
        // given random filters and topics over a small alphabet (seeded: reproducible, bounded)
        Random random = new Random(20261123L);
        String[] alphabet = {"a", "b", "$s", "+", "#"};
        List<String> topics = new ArrayList<>();
        for (int n = 0; n < 300; n++) {
            topics.add(randomLevels(random, new String[] {"a", "b", "$s", ""}, false));
        }
        for (int n = 0; n < 2000; n++) {
            TopicFilter f = new TopicFilter(randomLevels(random, alphabet, true));
            TopicFilter g = new TopicFilter(randomLevels(random, alphabet, true));
            // then
            if (f.covers(g)) {
                for (String t : topics) {
                    if (g.matches(t)) {
                        assertThat(f.matches(t)).as(f + " covers " + g + " but not topic " + t).isTrue();
                    }
                }
            }
            for (String t : topics) {
                if (f.matches(t) && g.matches(t)) {
                    assertThat(f.intersects(g)).as(f + " and " + g + " share " + t).isTrue();
                }
            }
        }
    }

    private static String randomLevels(Random random, String[] alphabet, boolean filter) {
        int count = 1 + random.nextInt(4);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            String level = alphabet[random.nextInt(alphabet.length)];
            if (level.equals("#") && i != count - 1) {
                level = "+";
            }
            if (i > 0 && level.startsWith("$")) {
                level = "c";
            }
            sb.append(i == 0 ? "" : "/").append(level);
        }
        return sb.length() == 0 ? "a" : sb.toString();
    }
}
