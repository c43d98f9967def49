package org.amtbus.platform.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (binaries from Maven Central through zonky) run as a child process for
 * the embedded deployment and for tests.
 *
 * <p>Invariants: it listens on 127.0.0.1 only; its cluster lives in {@code <dir>/data} and is reused
 * on the next start; the superuser {@value #SUPERUSER} authenticates with SCRAM-SHA-256 and a random
 * password kept in {@code <dir>/superuser-password} (0600) - there is no trust authentication, not
 * even for local sockets; it refuses to start as root with one clear line.
 *
 * <p>{@link #start} and {@link #close} block (process start/stop); call them from a start-up or
 * shutdown thread, never from an event loop. The other methods are cheap and thread-safe.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    /** Default port in embedded mode: not 5432, so a system PostgreSQL on the same host does not clash. */
    public static final int DEFAULT_PORT = 15432;
    /** Port value asking for any free loopback port. */
    public static final int RANDOM_PORT = 0;
    public static final String SUPERUSER = "postgres";

    /** How long to wait for the postmaster to accept connections: first start runs initdb (a few seconds). */
    static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String LOOPBACK = "127.0.0.1";

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
    private final SuperuserPassword password;
    private final Path directory;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server,
                             SuperuserPassword password, Path directory) {
        this.server = server;
        this.password = password;
        this.directory = directory;
    }

    /**
     * Starts the server for the cluster in {@code directory} (normally {@code <dataDir>/postgres}),
     * creating the cluster on the first start.
     *
     * @param directory   holds {@code data/} (the cluster) and the password file; created 0700 if absent
     * @param port        {@link #RANDOM_PORT} or a fixed port such as {@link #DEFAULT_PORT}
     * @param binariesDir where the PostgreSQL binaries are unpacked (shared between clusters of one user)
     * @throws IllegalStateException when the JVM runs as root
     */
    public static EmbeddedPostgres start(Path directory, int port, Path binariesDir) {
        return start(directory, port, binariesDir, true);
    }

    /**
     * As {@link #start(Path, int, Path)}; {@code fsync = false} is for throw-away test clusters only: a crash of the
     * machine may then lose or corrupt committed data. zonky starts the server with {@code -F} (fsync off), so a
     * durable cluster needs {@code fsync=on} stated; without it {@code synchronous_commit=on} waits for a WAL write
     * that never reaches the disk.
     */
    public static EmbeddedPostgres start(Path directory, int port, Path binariesDir, boolean fsync) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(binariesDir, "binariesDir");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 (random) or 1-65535, was " + port);
        }
        RootRefusal.requireCurrentUserNotRoot();
        try {
            createPrivateDirectory(directory);
            Files.createDirectories(binariesDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the PostgreSQL directory " + directory, e);
        }
        Path cluster = directory.resolve("data");
        Path passwordFile = directory.resolve("superuser-password");
        boolean firstStart = !Files.exists(cluster.resolve("PG_VERSION"));
        SuperuserPassword password = SuperuserPassword.loadOrCreate(passwordFile);
        long started = System.nanoTime();
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres.Builder builder =
                io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                        .setDataDirectory(cluster)
                        .setCleanDataDirectory(false)
                        .setOverrideWorkingDirectory(binariesDir.toFile())
                        .setPGStartupWait(STARTUP_WAIT)
                        // no hook of zonky's own: it would stop the server while the node's shutdown still needs it
                        // (gateway heartbeat, router ledger); whoever starts the server closes it, last
                        .setRegisterShutdownHook(false)
                        // initdb: these come after zonky's "-A trust" and win, so the cluster is never trust-open
                        .setLocaleConfig("auth", "scram-sha-256")
                        .setLocaleConfig("pwfile", passwordFile.toString())
                        .setServerConfig("listen_addresses", LOOPBACK)
                        // zonky turns this off for speed; the audit trail needs commits to survive a crash
                        .setServerConfig("synchronous_commit", "on")
                        // zonky passes -F (fsync off) before these; a later -c wins, so commits reach the disk
                        .setServerConfig("fsync", fsync ? "on" : "off")
                        .setServerConfig("password_encryption", "scram-sha-256")
                        // zonky's readiness probe and getDatabase() connect with these
                        .setConnectConfig("password", password.reveal());
        if (port != RANDOM_PORT) {
            builder.setPort(port);
        }
        try {
            io.zonky.test.db.postgres.embedded.EmbeddedPostgres server = builder.start();
            LOG.info("embedded PostgreSQL started [dir: {}, port: {}, firstStart: {}] in {} ms",
                    directory, server.getPort(), firstStart, (System.nanoTime() - started) / 1_000_000);
            return new EmbeddedPostgres(server, password, directory);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("embedded PostgreSQL failed to start [dir: " + directory
                    + ", port: " + port + "]: " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getPort();
    }

    public String user() {
        return SUPERUSER;
    }

    public Path directory() {
        return directory;
    }

    /** The superuser password; hand it to a pool, never to a log. */
    public char[] password() {
        return password.reveal().toCharArray();
    }

    public String jdbcUrl(String database) {
        requireDatabaseName(database);
        return "jdbc:postgresql://" + LOOPBACK + ":" + port() + "/" + database;
    }

    /** Creates {@code database} unless it exists. Blocks for a round trip; any thread. */
    public void createDatabaseIfAbsent(String database) {
        requireDatabaseName(database);
        try (Connection connection = adminDataSource().getConnection();
             PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rows = exists.executeQuery()) {
                if (rows.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                // the name is checked against DATABASE_NAME above, so it cannot inject SQL
                create.execute("CREATE DATABASE " + database);
            }
            LOG.info("created database [database: {}]", database);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database + ": " + e.getMessage(), e);
        }
    }

    private PGSimpleDataSource adminDataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {LOOPBACK});
        dataSource.setPortNumbers(new int[] {port()});
        dataSource.setDatabaseName("postgres");
        dataSource.setUser(SUPERUSER);
        dataSource.setPassword(password.reveal());
        return dataSource;
    }

    /** Stops the postmaster (fast shutdown: active sessions are rolled back) and keeps the cluster; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long started = System.nanoTime();
        try {
            server.close();
            LOG.info("embedded PostgreSQL stopped [dir: {}] in {} ms", directory,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not stop cleanly [dir: " + directory + "]", e);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedPostgres[dir=" + directory + ", port=" + port() + "]";
    }

    static void requireDatabaseName(String database) {
        if (database == null || !DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException(
                    "database name must match " + DATABASE_NAME.pattern() + ", was " + database);
        }
    }

    private static void createPrivateDirectory(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        }
    }

}
