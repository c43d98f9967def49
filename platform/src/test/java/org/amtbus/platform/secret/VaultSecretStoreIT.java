package org.amtbus.platform.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.vault.VaultContainer;

/**
 * The Vault store against a real Vault. No Vault server is installable on machines without a Docker engine, so
 * this runs where Testcontainers finds one and is skipped (reported as skipped) elsewhere.
 */
@Testcontainers(disabledWithoutDocker = true)
class VaultSecretStoreIT {

    private static final String ROOT_TOKEN = "test-root-" + java.util.UUID.randomUUID();

    @Container
    static final VaultContainer<?> VAULT = new VaultContainer<>("hashicorp/vault:1.17").withVaultToken(ROOT_TOKEN);

    private static Path dir;
    private static VaultSecretStore store;

    @BeforeAll
    static void open() throws Exception {
        dir = Files.createTempDirectory("amtbus-vault-");
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, ROOT_TOKEN + "\n");
        store = VaultSecretStore.open(new VaultSecretStore.Config(URI.create(VAULT.getHttpHostAddress()), "secret", "amtbus",
                new VaultSecretStore.Auth.Token(tokenFile), Optional.empty()));
    }

    @AfterAll
    static void close() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void storesReadsListsAndDeletesEveryVersion() {
        SecretName name = new SecretName("devices/1f0e/cira-password");
        store.put(name, Secret.ofBytes("first".getBytes(StandardCharsets.UTF_8)));
        store.put(name, Secret.ofBytes("second".getBytes(StandardCharsets.UTF_8)));
        assertThat(store.get(name)).hasValueSatisfying(s -> assertThat(new String(s.revealBytes(), StandardCharsets.UTF_8))
                .isEqualTo("second"));
        assertThat(store.list("devices/")).contains(name);
        assertThat(store.delete(name)).isTrue();
        assertThat(store.get(name)).isEmpty();
        assertThat(store.delete(name)).isFalse();
    }

    @Test
    void aWrongTokenIsRefusedAtOpenWithOneLine() throws Exception {
        Path bad = dir.resolve("bad-token");
        Files.writeString(bad, "not-a-token");
        assertThatThrownBy(() -> VaultSecretStore.open(new VaultSecretStore.Config(URI.create(VAULT.getHttpHostAddress()),
                "secret", "amtbus", new VaultSecretStore.Auth.Token(bad), Optional.empty())))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("cannot use Vault at")
                .hasMessageNotContaining("not-a-token");
    }
}
