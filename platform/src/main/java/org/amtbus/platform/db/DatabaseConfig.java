package org.amtbus.platform.db;

import java.util.Objects;

/**
 * Where amtbus keeps its relational state: an embedded PostgreSQL under the data directory, or an
 * external server. Validated on construction, so a started {@link Database} never sees a bad value.
 * The password is not part of it: the caller supplies it (later from the secret store), so this
 * record can be printed safely.
 *
 * <p>Settings (once the config package lands, {@code DatabaseConfig.from(Settings)}):
 * {@code database.mode} ({@code embedded}|{@code external}), {@code database.url},
 * {@code database.user}, {@code database.port}, {@code database.poolSize}.
 *
 * @param mode     embedded (default) or external
 * @param url      external only: {@code jdbc:postgresql://host:port/db}; must be null in embedded mode
 * @param user     external only: the login role; null in embedded mode (the embedded superuser is used)
 * @param port     embedded only: loopback port, {@value EmbeddedPostgres#DEFAULT_PORT} by default, 0 = random
 * @param poolSize maximum connections in the pool, {@value #MIN_POOL_SIZE}-{@value #MAX_POOL_SIZE}
 */
public record DatabaseConfig(Mode mode, String url, String user, int port, int poolSize) {

    public enum Mode { EMBEDDED, EXTERNAL }

    /**
     * Ten connections serve a node's roles: database work is short transactions (leases, audit
     * batches), and PostgreSQL throughput peaks near 2-4 connections per core on this size of machine.
     */
    public static final int DEFAULT_POOL_SIZE = 10;
    public static final int MIN_POOL_SIZE = 1;
    /** Above this a pool starves the server of memory (each backend is a process) rather than helping. */
    public static final int MAX_POOL_SIZE = 100;
    /** The database amtbus uses inside the embedded cluster. */
    public static final String EMBEDDED_DATABASE = "amtbus";

    private static final String JDBC_PREFIX = "jdbc:postgresql://";

    public DatabaseConfig {
        Objects.requireNonNull(mode, "database.mode is required");
        if (poolSize < MIN_POOL_SIZE || poolSize > MAX_POOL_SIZE) {
            throw new IllegalArgumentException("database.poolSize must be " + MIN_POOL_SIZE + "-" + MAX_POOL_SIZE
                    + ", was " + poolSize);
        }
        switch (mode) {
            case EMBEDDED -> {
                if (url != null || user != null) {
                    throw new IllegalArgumentException(
                            "database.url and database.user apply to external mode only; remove them or set database.mode=external");
                }
                if (port < 0 || port > 65_535) {
                    throw new IllegalArgumentException("database.port must be 0 (random) or 1-65535, was " + port);
                }
            }
            case EXTERNAL -> {
                if (url == null || !url.startsWith(JDBC_PREFIX) || url.length() == JDBC_PREFIX.length()) {
                    throw new IllegalArgumentException("database.url must start with " + JDBC_PREFIX
                            + " in external mode, was " + redactUrl(url));
                }
                if (url.contains("password=")) {
                    throw new IllegalArgumentException(
                            "database.url must not carry a password; it comes from the secret store");
                }
                if (user == null || user.isBlank()) {
                    throw new IllegalArgumentException("database.user is required in external mode");
                }
            }
        }
    }

    /** Embedded PostgreSQL on {@link EmbeddedPostgres#DEFAULT_PORT} with the default pool. */
    public static DatabaseConfig embedded() {
        return embedded(EmbeddedPostgres.DEFAULT_PORT);
    }

    public static DatabaseConfig embedded(int port) {
        return new DatabaseConfig(Mode.EMBEDDED, null, null, port, DEFAULT_POOL_SIZE);
    }

    public static DatabaseConfig external(String url, String user) {
        return new DatabaseConfig(Mode.EXTERNAL, url, user, 0, DEFAULT_POOL_SIZE);
    }

    public DatabaseConfig withPoolSize(int newPoolSize) {
        return new DatabaseConfig(mode, url, user, port, newPoolSize);
    }

    private static String redactUrl(String url) {
        if (url == null) {
            return "null";
        }
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?...";
    }
}
