package org.amtbus.audit.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.amtbus.platform.db.Database;
import org.amtbus.platform.testing.SharedPostgres;
import org.amtbus.platform.testing.TestDatabase;

/**
 * A migrated database of its own for one test class, plus the superuser tampering the tests need:
 * statements run with the append-only triggers disabled, as an attacker with owner rights could.
 */
public final class AuditDatabase implements AutoCloseable {

    private final TestDatabase test;
    private final Database database;

    private AuditDatabase(TestDatabase test) {
        this.test = test;
        this.database = test.migrated();
    }

    public static AuditDatabase create() {
        return new AuditDatabase(SharedPostgres.newDatabase());
    }

    public DataSource dataSource() {
        return database.dataSource();
    }

    /** Runs statements in one transaction with every audit trigger disabled, then enables them again. */
    public void tamper(String... statements) {
        String[] tables = {"audit_streams", "audit_events", "audit_keys", "audit_checkpoints", "audit_rejected"};
        try (Connection c = test.dataSource().getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            for (String table : tables) {
                st.execute("ALTER TABLE " + table + " DISABLE TRIGGER USER");
            }
            for (String sql : statements) {
                st.execute(sql);
            }
            for (String table : tables) {
                st.execute("ALTER TABLE " + table + " ENABLE ALWAYS TRIGGER " + table + "_append_only");
                st.execute("ALTER TABLE " + table + " ENABLE ALWAYS TRIGGER " + table + "_no_truncate");
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("tampering failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        database.close();
    }
}
