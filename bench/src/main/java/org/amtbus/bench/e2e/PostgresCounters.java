package org.amtbus.bench.e2e;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * What the node's PostgreSQL says about durability: whether it fsyncs at all, and how many transactions it committed
 * and how many times it synced its WAL (PostgreSQL 14-17 {@code pg_stat_wal.wal_sync}, 0 while fsync is off). The
 * difference of two readings shows how many events share one commit and one WAL flush.
 */
record PostgresCounters(String fsync, String synchronousCommit, long commits, long walSyncs) {

    static PostgresCounters read(DataSource db) throws SQLException {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            String fsync = one(st, "SHOW fsync");
            String sync = one(st, "SHOW synchronous_commit");
            long commits = Long.parseLong(one(st, "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"));
            long walSyncs;
            try {
                walSyncs = Long.parseLong(one(st, "SELECT wal_sync FROM pg_stat_wal"));
            } catch (SQLException e) {
                walSyncs = -1; // PostgreSQL 18 moved it to pg_stat_io
            }
            return new PostgresCounters(fsync, sync, commits, walSyncs);
        }
    }

    private static String one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
