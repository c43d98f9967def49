package org.amtbus.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchSettingsTest {

    private static final Path HOME = Path.of("/home/u");
    private static final Path JDK = Path.of("/jdk");

    @Test
    void defaultsAreBounded() {
        BenchSettings s = BenchSettings.parse(new String[] {"cira"}, HOME, JDK);
        assertThat(s.scenario()).isEqualTo("cira");
        assertThat(s.dataDir()).isEqualTo(Path.of("/home/u/amtbus-bench"));
        assertThat(s.runTime()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.devices()).containsExactly(1_000, 5_000);
        assertThat(s.rates()).containsExactly(100, 500);
    }

    @Test
    void optionsOverride() {
        BenchSettings s = BenchSettings.parse(new String[] {"commands", "--rates", "100, 250", "--seconds", "20",
                "--repeats", "3", "--data-dir", "/d"}, HOME, JDK);
        assertThat(s.rates()).isEqualTo(List.of(100, 250));
        assertThat(s.runTime()).isEqualTo(Duration.ofSeconds(20));
        assertThat(s.repeats()).isEqualTo(3);
        assertThat(s.dataDir()).isEqualTo(Path.of("/d"));
    }

    @Test
    void theAuditScenarioTakesABoundedEventCount() {
        assertThat(BenchSettings.parse(new String[] {"audit"}, HOME, JDK).events()).isEqualTo(200_000);
        assertThat(BenchSettings.parse(new String[] {"audit", "--events", "50000"}, HOME, JDK).events()).isEqualTo(50_000);
        assertThatThrownBy(() -> BenchSettings.parse(new String[] {"audit", "--events", "9000000"}, HOME, JDK))
                .hasMessageContaining("1-5000000");
    }

    @Test
    void refusesUnknownScenariosOptionsAndUnboundedValues() {
        assertThatThrownBy(() -> BenchSettings.parse(new String[] {"kafka"}, HOME, JDK)).hasMessageContaining("usage");
        assertThatThrownBy(() -> BenchSettings.parse(new String[] {"mqtt", "--fast", "1"}, HOME, JDK))
                .hasMessageContaining("unknown option --fast");
        assertThatThrownBy(() -> BenchSettings.parse(new String[] {"mqtt", "--seconds", "0"}, HOME, JDK))
                .hasMessageContaining("1-600");
        assertThatThrownBy(() -> BenchSettings.parse(new String[] {"cira", "--devices", "1000,100000"}, HOME, JDK))
                .hasMessageContaining("1-50000");
        assertThatThrownBy(() -> BenchSettings.parse(new String[] {"mqtt", "--seconds"}, HOME, JDK))
                .hasMessageContaining("needs a value");
    }
}
