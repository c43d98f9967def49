package org.amtbus.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AuditBaselinesTest {

    @Test
    void eventsAreValidDistinctAndSpreadOverTheStreams() {
        List<AuditLoad.Event> events = AuditLoad.events(40, "t1");
        assertThat(events).hasSize(40);
        assertThat(events.stream().map(e -> e.event().id()).distinct()).hasSize(40);
        assertThat(events.stream().map(AuditLoad.Event::stream).distinct()).hasSize(AuditLoad.STREAMS);
        assertThat(events.get(0).bytes().length).isBetween(200, 800);
    }

    @Test
    void chainingLinksEachStreamsEventsInOrder() {
        List<AuditLoad.Event> events = AuditLoad.events(12, "t2");
        AuditBaselines.Chained chained = AuditBaselines.chain(events);
        for (int i = 0; i < events.size(); i++) {
            // the i-th event is seq i / STREAMS + 1 of its stream, and links to the event STREAMS before it
            assertThat(chained.seq()[i]).isEqualTo(i / AuditLoad.STREAMS + 1);
            if (i >= AuditLoad.STREAMS) {
                assertThat(chained.prev()[i]).isEqualTo(chained.hash()[i - AuditLoad.STREAMS]);
            }
            assertThat(chained.hash()[i]).hasSize(32);
        }
    }
}
