package org.amtbus.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.amtbus.gateway.cira.CiraServer;
import org.amtbus.platform.config.ConfigException;
import org.amtbus.platform.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cira.maxConcurrentLogins}, {@code cira.maxWaitingLogins}, {@code cira.loginQueueWait}: defaults, set, refused. */
class CiraLoginAdmissionSettingTest {

    @TempDir
    Path dir;

    @Test
    void defaultsAndSettings() {
        CiraServer.Limits defaults = NodeSettings.from(dir, Settings.of(Map.of())).cira().limits();
        assertThat(defaults.maxConcurrentLogins()).isEqualTo(CiraServer.Limits.DEFAULT_CONCURRENT_LOGINS).isGreaterThanOrEqualTo(64);
        assertThat(defaults.maxWaitingLogins()).isEqualTo(10_000);
        assertThat(defaults.loginQueueWait()).isEqualTo(Duration.ofSeconds(5));

        CiraServer.Limits set = NodeSettings.from(dir, Settings.of(Map.of("cira.maxConcurrentLogins", "32",
                "cira.maxWaitingLogins", "0", "cira.loginQueueWait", "8s"))).cira().limits();
        assertThat(set.maxConcurrentLogins()).isEqualTo(32);
        assertThat(set.maxWaitingLogins()).isZero();
        assertThat(set.loginQueueWait()).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void anOutOfRangeValueFailsTheStartNamingTheSetting() {
        assertThatThrownBy(() -> NodeSettings.from(dir, Settings.of(Map.of("cira.maxConcurrentLogins", "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cira.maxConcurrentLogins");
        assertThatThrownBy(() -> NodeSettings.from(dir, Settings.of(Map.of("cira.loginQueueWait", "10ms"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cira.loginQueueWait");
    }
}
