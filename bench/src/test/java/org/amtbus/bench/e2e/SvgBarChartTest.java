package org.amtbus.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SvgBarChartTest {

    @Test
    void oneBarPerValueScaledToTheAxisAndWellFormed() throws Exception {
        String svg = new SvgBarChart("QoS <1> & friends", "msg/s", List.of("amtbus", "mosquitto"))
                .add("QoS1 1->1", 20_000, 40_000)
                .add("QoS0 1->1", 10_000, Double.NaN)
                .svg();
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        NodeList rects = doc.getElementsByTagName("rect");
        // background + 3 bars (NaN draws none) + 2 legend squares
        assertThat(rects.getLength()).isEqualTo(6);
        double tallest = Double.parseDouble(((Element) rects.item(2)).getAttribute("height"));
        double half = Double.parseDouble(((Element) rects.item(1)).getAttribute("height"));
        assertThat(half / tallest).isCloseTo(0.5, org.assertj.core.api.Assertions.within(1e-3));
        assertThat(svg).contains("QoS &lt;1&gt; &amp; friends").contains("QoS1 1-&gt;1");
    }

    @Test
    void axisTopsAreRoundNumbers() {
        assertThat(SvgBarChart.niceCeiling(42_000)).isEqualTo(50_000);
        assertThat(SvgBarChart.niceCeiling(1_800)).isEqualTo(2_000);
        assertThat(SvgBarChart.niceCeiling(0.3)).isEqualTo(0.5);
        assertThat(SvgBarChart.niceCeiling(0)).isEqualTo(1);
    }

    @Test
    void aCategoryNeedsOneValuePerSeries() {
        SvgBarChart chart = new SvgBarChart("t", "u", List.of("a", "b"));
        assertThatThrownBy(() -> chart.add("c", 1.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
