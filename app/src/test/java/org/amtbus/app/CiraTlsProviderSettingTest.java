package org.amtbus.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.amtbus.platform.config.ConfigException;
import org.amtbus.platform.config.Settings;
import org.amtbus.platform.tls.TlsProviderChoice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cira.tlsProvider} and {@code broker.tlsProvider}: auto by default, either provider forced, anything else
 * refused in one line at start.
 */
class CiraTlsProviderSettingTest {

    @TempDir
    Path dir;

    @Test
    void defaultsToAutoAndAcceptsEitherProvider() {
        assertThat(NodeSettings.from(dir, Settings.of(Map.of())).cira().tlsProvider()).isEqualTo(TlsProviderChoice.AUTO);
        assertThat(NodeSettings.from(dir, Settings.of(Map.of("cira.tlsProvider", "jdk"))).cira().tlsProvider())
                .isEqualTo(TlsProviderChoice.JDK);
        assertThat(NodeSettings.from(dir, Settings.of(Map.of("cira.tlsProvider", "OpenSSL"))).cira().tlsProvider())
                .isEqualTo(TlsProviderChoice.OPENSSL);
    }

    @Test
    void anUnknownProviderFailsTheStartWithOneClearLine() {
        assertThatThrownBy(() -> NodeSettings.from(dir, Settings.of(Map.of("cira.tlsProvider", "conscrypt"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("cira.tlsProvider: 'conscrypt' is not a TLS provider: use auto, openssl or jdk");
    }

    @Test
    void theMqttListenerHasItsOwnProviderSetting() {
        assertThat(NodeSettings.from(dir, Settings.of(Map.of())).broker().tlsProvider()).isEqualTo(TlsProviderChoice.AUTO);
        assertThat(NodeSettings.from(dir, Settings.of(Map.of("broker.tlsProvider", "jdk"))).broker().tlsProvider())
                .isEqualTo(TlsProviderChoice.JDK);
        assertThatThrownBy(() -> NodeSettings.from(dir, Settings.of(Map.of("broker.tlsProvider", "rustls"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("broker.tlsProvider: 'rustls' is not a TLS provider: use auto, openssl or jdk");
    }

    @Test
    void aSessionQueueTooSmallForTheIntakeGatesIsRefused() {
        assertThatThrownBy(() -> NodeSettings.from(dir, Settings.of(Map.of("broker.sessionQueueSize", "16"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("broker.sessionQueueSize");
    }
}
