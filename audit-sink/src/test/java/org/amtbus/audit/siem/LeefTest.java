package org.amtbus.audit.siem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeefTest {

    @Test
    void hostileValuesInEveryFieldStayInsideTheirOwnAttribute() {
        // given
        Map<SiemField, String> values = HostileValues.everyField();

        // when
        String line = Leef.encode(values, "0.1.0|x");

        // then
        assertThat(line).doesNotContain("\r", "\n").startsWith("LEEF:2.0|amtbus|amtbus|0.1.0_x|auth.login");
        String[] header = line.split("\\|", 7);
        assertThat(header).hasSize(7);
        assertThat(header[5]).isEqualTo("x09");
        Map<String, String> attributes = attributes(header[6]);
        assertThat(attributes).hasSize(SiemField.values().length + 1); // + sev
        assertThat(attributes.get("sev")).isEqualTo("6");
        for (Map.Entry<SiemField, String> entry : values.entrySet()) {
            String expected = entry.getValue().replace('\t', ' ').replace('\r', ' ').replace('\n', ' ');
            assertThat(attributes.get(entry.getKey().leef())).as(entry.getKey().name()).isEqualTo(expected);
        }
        assertThat(attributes.get("devTime")).hasSize(13); // epoch ms: no devTimeFormat needed
    }

    @Test
    void cutsValuesToTheirLimitsWithoutSplittingCharacters() {
        // given
        Map<SiemField, String> values = HostileValues.longFields("😀", 2000);

        // when
        Map<String, String> attributes = attributes(Leef.encode(values, "0.1.0").split("\\|", 7)[6]);

        // then
        assertThat(attributes.get("usrName")).hasSize(Leef.MAX_USER_NAME - 1).isEqualTo("😀".repeat(127));
        assertThat(attributes.get("reason")).hasSize(Leef.MAX_VALUE).isEqualTo("😀".repeat(512));
        assertThat(Leef.encode(values, "0.1.0").split("\\|", 7)[4]).hasSizeLessThanOrEqualTo(Leef.MAX_EVENT_ID);
    }

    @Test
    void carriesTheEventIdOfARealEvent() {
        SiemEvent event = CefTest.hostileEvent();
        assertThat(Leef.encode(event, "0.1.0")).contains("\teventId=" + event.event().id() + "\t");
    }

    /** TAB-separated key=value, split at the first '=' (as QRadar does); each key once. */
    static Map<String, String> attributes(String payload) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String attribute : payload.split("\t")) {
            int eq = attribute.indexOf('=');
            assertThat(attributes.put(attribute.substring(0, eq), attribute.substring(eq + 1))).isNull();
        }
        return attributes;
    }
}
