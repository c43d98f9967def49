package org.amtbus.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeMetricsTest {

    private static final String TEXT = """
            # HELP amtbus_cira_devices_online devices connected now
            # TYPE amtbus_cira_devices_online gauge
            amtbus_cira_devices_online_max 9.0
            amtbus_cira_devices_online 4999.0
            amtbus_cira_refused_total{reason="password"} 3.0
            """;

    @Test
    void readsTheExactlyNamedSampleNotOneWithALongerName() {
        assertThat(NodeMetrics.valueIn(TEXT, "amtbus_cira_devices_online")).isEqualTo(4999.0);
    }

    @Test
    void readsALabelledSample() {
        assertThat(NodeMetrics.valueIn(TEXT, "amtbus_cira_refused_total")).isEqualTo(3.0);
    }

    @Test
    void anAbsentSampleIsNaN() {
        assertThat(NodeMetrics.valueIn(TEXT, "amtbus_nothing")).isNaN();
    }
}
