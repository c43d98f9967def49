package org.amtbus.platform.secret;

import java.util.Collection;
import java.util.List;
import java.util.Map;
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

    /**
     * Creates or replaces many secrets. A store that rewrites itself per write (the sealed file) does it once
     * for all of them, so registering a fleet is linear instead of quadratic. Not atomic across entries
     * unless the implementation says so.
     */
    default void putAll(Map<SecretName, Secret> values) {
        values.forEach(this::put);
    }

    Optional<Secret> get(SecretName name);

    /** Removes a secret; false when there was none. */
    boolean delete(SecretName name);

    /** Removes many secrets (one rewrite where the store rewrites itself per write); how many there were. */
    default int deleteAll(Collection<SecretName> names) {
        int removed = 0;
        for (SecretName name : names) {
            if (delete(name)) {
                removed++;
            }
        }
        return removed;
    }

    /** Names under a prefix such as {@code devices/}, sorted. */
    List<SecretName> list(String prefix);

    @Override
    void close();
}
