package org.amtbus.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import org.amtbus.platform.testing.SharedPostgres;
import org.amtbus.platform.testing.TestDatabase;
import org.amtbus.platform.testing.TestDirectories;
import org.junit.jupiter.api.Test;

class DatabaseIT {

    @Test
    void migratesAFreshDatabaseFromTheSharedServer() throws Exception {
        // given
        TestDatabase fresh = SharedPostgres.newDatabase();

        // when
        try (Database database = fresh.migrated()) {
            // then V1 is there
            try (Connection c = database.dataSource().getConnection();
                 ResultSet rows = c.getMetaData().getTables(null, "public", "service_instances", null)) {
                assertThat(rows.next()).isTrue();
            }
            assertThat(database.isHealthy()).isTrue();
        }
    }

    @Test
    void healthTurnsFalseWhenTheServerStops() {
        // given a pool on a server of its own, so stopping it disturbs no other test
        Path dir = TestDirectories.newTemporary("amtbus-db-health-it-");
        try {
            EmbeddedPostgres server = EmbeddedPostgres.start(dir.resolve("postgres"), EmbeddedPostgres.RANDOM_PORT,
                    SharedPostgres.binariesDir());
            server.createDatabaseIfAbsent("amtbus");
            try (Database database = Database.connect(server.jdbcUrl("amtbus"), server.user(), server::password, 2)) {
                assertThat(database.isHealthy()).isTrue();

                // when
                server.close();

                // then
                await().atMost(Duration.ofSeconds(30)).until(() -> !database.isHealthy());
            }
        } finally {
            TestDirectories.deleteRecursively(dir);
        }
    }
}
