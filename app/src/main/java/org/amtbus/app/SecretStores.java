package org.amtbus.app;

import org.amtbus.platform.secret.SealedFileSecretStore;
import org.amtbus.platform.secret.SecretStore;
import org.amtbus.platform.secret.VaultSecretStore;

/** Opens the secret store the settings name: the sealed file store of the data directory (default), or Vault. */
final class SecretStores {

    private SecretStores() {
    }

    static SecretStore open(NodeSettings settings) {
        if (settings.vault().isPresent()) {
            try {
                return VaultSecretStore.open(settings.vault().get());
            } catch (IllegalStateException e) {
                throw new StartupException(StartupException.ENVIRONMENT, OneLine.of(e));
            }
        }
        return SealedFileSecretStore.open(settings.dataDir().resolve("secrets"));
    }
}
