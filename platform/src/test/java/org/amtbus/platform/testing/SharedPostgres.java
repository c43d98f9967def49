package org.amtbus.platform.testing;

import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import org.amtbus.platform.db.EmbeddedPostgres;

/**
 * One embedded PostgreSQL per test JVM, started on first use in a temporary directory on a random
 * loopback port and stopped (directory deleted) by a shutdown hook. Each test class takes a fresh
 * database with {@link #newDatabase()} so classes never see each other's rows.
 *
 * <p>Like production, it refuses to run as root: run the tests as an unprivileged user (see the
 * README's test command). The unpacked binaries are kept per user in the temp directory so the
 * next JVM skips the unpacking. Thread-safe (lazy holder idiom).
 */
public final class SharedPostgres {

    private SharedPostgres() {
    }

    private static final class Holder {
        static final Path DIR = TestDirectories.newTemporary("amtbus-test-postgres-");
        static final EmbeddedPostgres POSTGRES = startOnce();

        private static EmbeddedPostgres startOnce() {
            // a throw-away cluster: no fsync, so the shared 2-core machine's tests do not wait on the disk
            EmbeddedPostgres postgres = EmbeddedPostgres.start(DIR.resolve("postgres"), EmbeddedPostgres.RANDOM_PORT,
                    binariesDir(), false);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                postgres.close();
                TestDirectories.deleteRecursively(DIR);
            }, "shared-postgres-stop"));
            return postgres;
        }
    }

    /** Creates an empty database with a random name. */
    public static TestDatabase newDatabase() {
        EmbeddedPostgres postgres = Holder.POSTGRES;
        String name = "test_" + UUID.randomUUID().toString().replace("-", "").toLowerCase(Locale.ROOT);
        postgres.createDatabaseIfAbsent(name);
        return new TestDatabase(name, postgres.jdbcUrl(name), postgres.user(), postgres::password);
    }

    /** Where tests unpack the PostgreSQL binaries: per user, kept between JVMs. */
    public static Path binariesDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "amtbus-pg-binaries-" + System.getProperty("user.name"));
    }

    public static int port() {
        return Holder.POSTGRES.port();
    }
}
