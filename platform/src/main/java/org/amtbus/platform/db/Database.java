package org.amtbus.platform.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's PostgreSQL: a bounded connection pool whose schema has been migrated to the newest
 * version on the classpath before anyone gets a connection. In embedded mode it also owns the
 * embedded server and stops it on {@link #close()}.
 *
 * <p>Invariant: {@link #dataSource()} is only reachable after every migration in
 * {@value #MIGRATIONS} (one version sequence for all modules) has been applied.
 *
 * <p>{@link #start} and {@link #close} block; call them from start-up/shutdown threads. The data
 * source and {@link #isHealthy()} are thread-safe and block the caller (never call them on a Netty
 * event loop: use a virtual thread).
 */
public final class Database implements AutoCloseable {

    static final String MIGRATIONS = "classpath:db/migration";
    /** Sub-directory of the amtbus data directory that holds the embedded cluster. */
    public static final String EMBEDDED_DIRECTORY = "postgres";

    /**
     * How long a caller waits for a pooled connection (and start-up waits for the first one). Short,
     * so that an outage turns into an error the caller can report instead of threads piling up.
     */
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);
    /** Hikari's liveness check on a borrowed idle connection; must be below the connection timeout. */
    static final Duration VALIDATION_TIMEOUT = Duration.ofSeconds(2);
    /**
     * Connections are replaced after this, so that firewalls, PgBouncer or a fail-over never leave
     * the pool holding half-dead sockets for long (Hikari wants it a bit under any such idle cut).
     */
    static final Duration MAX_LIFETIME = Duration.ofMinutes(30);
    /** Idle connections above the minimum are closed after this to give memory back to the server. */
    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);
    /** Connections kept open when quiet: enough for the lease and heartbeat writers without a handshake. */
    static final int MINIMUM_IDLE = 2;
    /** The health query must answer within this; a server that takes longer is not healthy for us. */
    static final Duration HEALTH_QUERY_TIMEOUT = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource pool;
    private final EmbeddedPostgres embedded;
    private final String jdbcUrl;

    private Database(HikariDataSource pool, EmbeddedPostgres embedded, String jdbcUrl) {
        this.pool = pool;
        this.embedded = embedded;
        this.jdbcUrl = jdbcUrl;
    }

    /**
     * Starts the database for this node: in embedded mode starts PostgreSQL under
     * {@code dataDir/postgres} (the password supplier is not used: the embedded superuser password is
     * kept in that directory), in external mode connects with {@code password}. Then builds the pool
     * and migrates.
     *
     * @throws IllegalStateException when the server cannot be reached or a migration fails
     */
    public static Database start(DatabaseConfig config, Path dataDir, Supplier<char[]> password) {
        Objects.requireNonNull(config, "config");
        if (config.mode() == DatabaseConfig.Mode.EMBEDDED) {
            Objects.requireNonNull(dataDir, "dataDir");
            Path directory = dataDir.resolve(EMBEDDED_DIRECTORY);
            EmbeddedPostgres server = EmbeddedPostgres.start(directory, config.port(), directory.resolve("binaries"));
            try {
                server.createDatabaseIfAbsent(DatabaseConfig.EMBEDDED_DATABASE);
                return connect(server.jdbcUrl(DatabaseConfig.EMBEDDED_DATABASE), server.user(), server::password,
                        config.poolSize(), server);
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        }
        Objects.requireNonNull(password, "password supplier is required in external mode");
        return connect(config.url(), config.user(), password, config.poolSize(), null);
    }

    /**
     * Connects to the embedded PostgreSQL of a node that is running (for operator commands beside
     * {@code amtbus run}), with the superuser password kept in its directory.
     *
     * @throws IllegalStateException when this data directory has no embedded cluster
     */
    public static Database connectToRunningEmbedded(Path dataDir, int port) {
        return connectToRunningEmbedded(dataDir, port, 2);
    }

    /** As {@link #connectToRunningEmbedded(Path, int)}, with a pool for a server process that shares the cluster. */
    public static Database connectToRunningEmbedded(Path dataDir, int port, int poolSize) {
        Path passwordFile = dataDir.resolve(EMBEDDED_DIRECTORY).resolve("superuser-password");
        if (!java.nio.file.Files.exists(passwordFile)) {
            throw new IllegalStateException("no embedded PostgreSQL in " + dataDir + "; start it with: amtbus run");
        }
        SuperuserPassword password = SuperuserPassword.loadOrCreate(passwordFile);
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/" + DatabaseConfig.EMBEDDED_DATABASE;
        return connect(url, EmbeddedPostgres.SUPERUSER, () -> password.reveal().toCharArray(), poolSize, null);
    }

    /** Connects to an existing server (external mode and tests): builds the pool and migrates. */
    public static Database connect(String jdbcUrl, String user, Supplier<char[]> password, int poolSize) {
        new DatabaseConfig(DatabaseConfig.Mode.EXTERNAL, jdbcUrl, user, 0, poolSize); // same validation
        return connect(jdbcUrl, user, password, poolSize, null);
    }

    private static Database connect(String jdbcUrl, String user, Supplier<char[]> password, int poolSize,
                                    EmbeddedPostgres embedded) {
        HikariDataSource pool = new HikariDataSource(poolConfig(jdbcUrl, user, password, poolSize));
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(pool)
                    .locations(MIGRATIONS)
                    .failOnMissingLocations(true)
                    // a process built with fewer modules (a tool, the bench driver) may share a database that
                    // processes with more modules migrated: their tables are not its business
                    .ignoreMigrationPatterns("*:missing", "*:future")
                    .cleanDisabled(true)
                    .load()
                    .migrate();
            LOG.info("database ready [url: {}, schemaVersion: {}, migrationsApplied: {}]",
                    jdbcUrl, result.targetSchemaVersion != null ? result.targetSchemaVersion : "unchanged",
                    result.migrationsExecuted);
            return new Database(pool, embedded, jdbcUrl);
        } catch (RuntimeException e) {
            pool.close();
            throw new IllegalStateException("database migration failed [url: " + jdbcUrl + "]: " + e.getMessage(), e);
        }
    }

    static HikariConfig poolConfig(String jdbcUrl, String user, Supplier<char[]> password, int poolSize) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("amtbus-db");
        hikari.setJdbcUrl(jdbcUrl);
        hikari.setUsername(user);
        char[] secret = password.get();
        hikari.setPassword(new String(secret));
        Arrays.fill(secret, '\0');
        hikari.setMaximumPoolSize(poolSize);
        hikari.setMinimumIdle(Math.min(MINIMUM_IDLE, poolSize));
        hikari.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        hikari.setValidationTimeout(VALIDATION_TIMEOUT.toMillis());
        hikari.setMaxLifetime(MAX_LIFETIME.toMillis());
        hikari.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        // fail the start (after CONNECTION_TIMEOUT) rather than come up with a pool that cannot connect
        hikari.setInitializationFailTimeout(CONNECTION_TIMEOUT.toMillis());
        hikari.addDataSourceProperty("ApplicationName", "amtbus");
        // a TCP connect that hangs (black-holed host) must not outlive the pool's own timeout
        hikari.addDataSourceProperty("connectTimeout", String.valueOf(CONNECTION_TIMEOUT.toSeconds()));
        return hikari;
    }

    /** The migrated, pooled data source. Thread-safe; blocks up to {@link #CONNECTION_TIMEOUT} for a connection. */
    public DataSource dataSource() {
        return pool;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /**
     * Whether a pooled connection answers {@code SELECT 1} within {@link #HEALTH_QUERY_TIMEOUT}. Blocks
     * the calling thread for at most {@link #CONNECTION_TIMEOUT} plus that; never throws.
     */
    public boolean isHealthy() {
        if (pool.isClosed()) {
            return false;
        }
        try (Connection connection = pool.getConnection(); Statement probe = connection.createStatement()) {
            probe.setQueryTimeout((int) HEALTH_QUERY_TIMEOUT.toSeconds());
            probe.execute("SELECT 1");
            return true;
        } catch (SQLException | RuntimeException e) {
            LOG.warn("database unhealthy [url: {}]: {}", jdbcUrl, e.getMessage());
            return false;
        }
    }

    /** Closes the pool, then (embedded mode) stops the server. */
    @Override
    public void close() {
        pool.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
