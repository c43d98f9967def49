package org.amtbus.platform.secret;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the Vault store refuses before it talks to anyone. */
class VaultConfigTest {

    private static final VaultSecretStore.Auth TOKEN = new VaultSecretStore.Auth.Token(Path.of("/run/secrets/vault-token"));

    @Test
    void plainHttpIsAllowedOnlyOnLoopback() {
        assertThatCode(() -> new VaultSecretStore.Config(URI.create("http://127.0.0.1:8200"), "secret", "amtbus", TOKEN,
                Optional.empty())).doesNotThrowAnyException();
        assertThatThrownBy(() -> new VaultSecretStore.Config(URI.create("http://vault:8200"), "secret", "amtbus", TOKEN,
                Optional.empty())).hasMessageContaining("https");
        assertThatCode(() -> new VaultSecretStore.Config(URI.create("https://vault:8200"), "secret", "amtbus", TOKEN,
                Optional.empty())).doesNotThrowAnyException();
    }

    @Test
    void mountAndPrefixMustBePlainNames() {
        assertThatThrownBy(() -> new VaultSecretStore.Config(URI.create("https://vault:8200"), "../sys", "amtbus", TOKEN,
                Optional.empty())).hasMessageContaining("mount");
        assertThatThrownBy(() -> new VaultSecretStore.Config(URI.create("https://vault:8200"), "secret", "a/../b", TOKEN,
                Optional.empty())).hasMessageContaining("prefix");
    }

    @Test
    void anUnreadableCredentialFileIsNamedWithoutOpeningAConnection() {
        assertThatThrownBy(() -> VaultSecretStore.open(new VaultSecretStore.Config(URI.create("https://vault.invalid:8200"),
                "secret", "amtbus", new VaultSecretStore.Auth.Token(Path.of("/nonexistent/vault-token")), Optional.empty())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("/nonexistent/vault-token");
    }
}
