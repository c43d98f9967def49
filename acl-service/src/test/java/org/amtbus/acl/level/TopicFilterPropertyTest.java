package org.amtbus.acl.level;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property checks of {@link TopicFilter#covers} and {@link TopicFilter#intersects} against
 * {@link TopicFilter#matches}, on seeded random filters (reproducible, bounded in count).
 */
class TopicFilterPropertyTest {

    private static final long SEED = 0x5EED_AC1L;
    /** Literal levels filters are built from; includes an empty level and a $-level. */
    private static final String[] FILTER_LITERALS = {"a", "b", "", "$s"};
    /** Topic levels: the filter literals plus one no filter names, so a '+' always has a witness. */
    private static final String[] TOPIC_LEVELS = {"a", "b", "", "$s", "q"};
    private static final int MAX_FILTER_LEVELS = 4;
    /** One more than the longest filter: enough for a '#' or a too-short topic to show a difference. */
    private static final int MAX_TOPIC_LEVELS = MAX_FILTER_LEVELS + 1;

    @Test
    void givenRandomFiltersWhenOneCoversTheOtherThenEveryRandomTopicOfTheOtherIsMatched() {
        // given
        Random random = new Random(SEED);
        int coveringPairs = 0;
        for (int pair = 0; pair < 20_000; pair++) {
            TopicFilter f = randomFilter(random);
            TopicFilter g = randomFilter(random);
            if (!f.covers(g)) {
                continue;
            }
            coveringPairs++;
            // when: topics g matches are drawn by filling in its wildcards at random
            for (int n = 0; n < 20; n++) {
                String topic = randomTopicMatching(g, random);
                // then
                assertThat(g.matches(topic)).as("generator: %s matches %s", g, topic).isTrue();
                assertThat(f.matches(topic)).as("%s covers %s but misses %s", f, g, topic).isTrue();
            }
        }
        assertThat(coveringPairs).as("the property must not hold vacuously").isGreaterThan(500);
    }

    @Test
    void givenEveryShortTopicThenCoversAndIntersectsAgreeExactlyWithMatches() {
        // given: all topics of up to MAX_TOPIC_LEVELS levels over TOPIC_LEVELS, and random filters
        List<String> universe = allTopics();
        Random random = new Random(SEED + 1);
        List<TopicFilter> filters = new ArrayList<>();
        List<BitSet> matched = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            TopicFilter filter = randomFilter(random);
            BitSet bits = new BitSet(universe.size());
            for (int t = 0; t < universe.size(); t++) {
                if (filter.matches(universe.get(t))) {
                    bits.set(t);
                }
            }
            filters.add(filter);
            matched.add(bits);
        }
        int covering = 0;
        int disjoint = 0;
        for (int i = 0; i < filters.size(); i++) {
            for (int j = 0; j < filters.size(); j++) {
                TopicFilter f = filters.get(i);
                TopicFilter g = filters.get(j);
                // when
                BitSet gNotF = (BitSet) matched.get(j).clone();
                gNotF.andNot(matched.get(i));
                BitSet both = (BitSet) matched.get(j).clone();
                both.and(matched.get(i));
                // then: covers iff no topic of g escapes f; intersects iff some topic is in both
                assertThat(f.covers(g)).as("%s covers %s", f, g).isEqualTo(gNotF.isEmpty());
                assertThat(f.intersects(g)).as("%s intersects %s", f, g).isEqualTo(!both.isEmpty());
                covering += gNotF.isEmpty() ? 1 : 0;
                disjoint += both.isEmpty() ? 1 : 0;
            }
        }
        assertThat(covering).isGreaterThan(1000);
        assertThat(disjoint).isGreaterThan(1000);
    }

    private static TopicFilter randomFilter(Random random) {
        int levels = 1 + random.nextInt(MAX_FILTER_LEVELS);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            if (i > 0) {
                sb.append('/');
            }
            int pick = random.nextInt(FILTER_LITERALS.length + 2);
            if (pick < FILTER_LITERALS.length) {
                sb.append(FILTER_LITERALS[pick]);
            } else if (pick == FILTER_LITERALS.length || i < levels - 1) {
                sb.append('+');
            } else {
                sb.append('#');
            }
        }
        // a lone empty level is not a valid filter
        return TopicFilter.tryParse(sb.toString()).orElseGet(() -> new TopicFilter("+"));
    }

    /** The empty string is no topic, so a draw that fills every level with "" is drawn again. */
    private static String randomTopicMatching(TopicFilter filter, Random random) {
        for (int attempt = 0; attempt < 100; attempt++) {
            String topic = drawTopic(filter, random);
            if (TopicFilter.isConcreteTopic(topic)) {
                return topic;
            }
        }
        throw new AssertionError("no topic drawn for " + filter);
    }

    private static String drawTopic(TopicFilter filter, Random random) {
        String[] levels = filter.value().split("/", -1);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < levels.length; i++) {
            switch (levels[i]) {
                case "+" -> out.add(nonSystemLevel(random, i));
                case "#" -> {
                    int extra = random.nextInt(4);
                    if (extra == 0 && i > 0) {
                        // '#' also matches the parent: drop the separator
                        return String.join("/", out);
                    }
                    for (int k = 0; k < Math.max(extra, 1); k++) {
                        out.add(nonSystemLevel(random, i + k));
                    }
                }
                default -> out.add(levels[i]);
            }
        }
        return String.join("/", out);
    }

    /** A wildcard on the first level never matches a $-level, so the generator must not pick one there. */
    private static String nonSystemLevel(Random random, int position) {
        String level = TOPIC_LEVELS[random.nextInt(TOPIC_LEVELS.length)];
        return position == 0 && level.startsWith("$") ? "q" : level;
    }

    private static List<String> allTopics() {
        List<String> topics = new ArrayList<>();
        List<String> current = List.of("");
        for (int depth = 1; depth <= MAX_TOPIC_LEVELS; depth++) {
            List<String> next = new ArrayList<>();
            for (String prefix : current) {
                for (String level : TOPIC_LEVELS) {
                    next.add(depth == 1 ? level : prefix + "/" + level);
                }
            }
            for (String topic : next) {
                if (TopicFilter.isConcreteTopic(topic)) {
                    topics.add(topic);
                }
            }
            current = next;
        }
        return topics;
    }
}
