package org.amtbus.platform.secret;

import java.util.List;
import java.util.Optional;

/**
 * Where every secret lives: the sealed file store embedded, Vault KV v2 in production.
 * The database holds only {@link SecretName}s.
 *
 * <p>Implementations are thread-safe and blocking (file or network I/O): never call them on an event loop.
 */
public interface SecretStore extends AutoCloseable {

    /** Creates or replaces a secret. */
    void put(SecretName name, Secret value);

    Optional<Secret> get(SecretName name);

    /** Removes a secret; false when there was none. */
    boolean delete(SecretName name);

    /** Names under a prefix such as {@code devices/}, sorted. */
    List<SecretName> list(String prefix);

    @Override
    void close();
}
