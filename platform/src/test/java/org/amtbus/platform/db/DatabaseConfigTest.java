package org.amtbus.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseConfigTest {

    @Test
    void embeddedDefaultsAvoidTheSystemPostgresPort() {
        DatabaseConfig config = DatabaseConfig.embedded();
        assertThat(config.port()).isEqualTo(15432);
        assertThat(config.poolSize()).isEqualTo(DatabaseConfig.DEFAULT_POOL_SIZE);
    }

    @Test
    void externalModeNeedsAPostgresUrlAndUser() {
        assertThatThrownBy(() -> DatabaseConfig.external("jdbc:mysql://db/amtbus", "amtbus"))
                .hasMessageContaining("database.url");
        assertThatThrownBy(() -> DatabaseConfig.external("jdbc:postgresql://db:5432/amtbus", " "))
                .hasMessageContaining("database.user");
    }

    @Test
    void refusesAPasswordInTheUrlWithoutEchoingIt() {
        assertThatThrownBy(() -> DatabaseConfig.external("jdbc:postgresql://db/amtbus?password=hunter2", "amtbus"))
                .hasMessageContaining("must not carry a password")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void refusesAnUnboundedPool() {
        assertThatThrownBy(() -> DatabaseConfig.embedded().withPoolSize(0)).hasMessageContaining("database.poolSize");
        assertThatThrownBy(() -> DatabaseConfig.embedded().withPoolSize(101)).hasMessageContaining("database.poolSize");
    }

    @Test
    void refusesExternalSettingsInEmbeddedMode() {
        assertThatThrownBy(() -> new DatabaseConfig(DatabaseConfig.Mode.EMBEDDED, "jdbc:postgresql://x/y", null, 0, 5))
                .hasMessageContaining("external mode only");
    }
}
