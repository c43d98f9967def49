package org.amtbus.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import org.amtbus.platform.testing.SharedPostgres;
import org.amtbus.platform.testing.TestDirectories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The embedded deployment's database: {@link Database} in embedded mode over a real PostgreSQL. */
class EmbeddedPostgresIT {

    private final Path dataDir = TestDirectories.newTemporary("amtbus-embedded-pg-it-");

    @AfterEach
    void removeDataDir() {
        TestDirectories.deleteRecursively(dataDir);
    }

    @Test
    void migratesRestartsAndKeepsData() throws SQLException {
        // given a first start that initialises the cluster and applies V1
        UUID instance = UUID.randomUUID();
        long coldStart = System.nanoTime();
        try (Database database = Database.start(DatabaseConfig.embedded(0), dataDir, null)) {
            System.out.printf("embedded PostgreSQL cold start (initdb + start + migrate): %d ms%n",
                    (System.nanoTime() - coldStart) / 1_000_000);
            assertThat(database.isHealthy()).isTrue();
            try (Connection c = database.dataSource().getConnection();
                 PreparedStatement insert = c.prepareStatement(
                         "INSERT INTO service_instances (instance_id, roles, host, version) VALUES (?, ?, 'h1', '0.1')")) {
                insert.setObject(1, instance);
                insert.setArray(2, c.createArrayOf("text", new String[] {"broker", "gateway"}));
                assertThat(insert.executeUpdate()).isEqualTo(1);
            }
        }

        // when the same data directory is started again
        long warmStart = System.nanoTime();
        try (Database database = Database.start(DatabaseConfig.embedded(0), dataDir, null)) {
            System.out.printf("embedded PostgreSQL warm start (start + migrate check): %d ms%n",
                    (System.nanoTime() - warmStart) / 1_000_000);

            // then the row survived and the migration was not applied twice
            try (Connection c = database.dataSource().getConnection();
                 PreparedStatement select = c.prepareStatement("SELECT roles FROM service_instances WHERE instance_id = ?")) {
                select.setObject(1, instance);
                try (ResultSet rows = select.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    assertThat((String[]) rows.getArray(1).getArray()).containsExactly("broker", "gateway");
                }
            }
            try (Connection c = database.dataSource().getConnection();
                 ResultSet rows = c.createStatement().executeQuery(
                         "SELECT count(*) FROM flyway_schema_history WHERE version = '1'")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void superuserNeedsTheRandomPasswordKeptPrivate() throws Exception {
        // given
        Path dir = dataDir.resolve("postgres");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(dir, EmbeddedPostgres.RANDOM_PORT, SharedPostgres.binariesDir())) {
            // then the password file is owner-only and the password is not a well-known default
            Path passwordFile = dir.resolve("superuser-password");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
            assertThat(new String(postgres.password())).hasSizeGreaterThanOrEqualTo(40);

            // and nobody gets in without it, not even over loopback
            String url = postgres.jdbcUrl("postgres");
            assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "postgres").close())
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("password authentication failed");
            assertThatThrownBy(() -> DriverManager.getConnection(url + "?user=postgres").close())
                    .isInstanceOf(SQLException.class);
            try (Connection ok = DriverManager.getConnection(url, "postgres", new String(postgres.password()));
                 ResultSet fsync = ok.createStatement().executeQuery("SHOW fsync")) {
                assertThat(ok.isValid(2)).isTrue();
                // and a commit reaches the disk (zonky's default is fsync off)
                fsync.next();
                assertThat(fsync.getString(1)).isEqualTo("on");
            }
        }
    }
}
