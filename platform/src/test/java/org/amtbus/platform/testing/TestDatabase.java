package org.amtbus.platform.testing;

import java.util.function.Supplier;
import javax.sql.DataSource;
import org.amtbus.platform.db.Database;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A database of its own inside the shared test PostgreSQL. Immutable; any thread.
 *
 * @param name    the database name (random)
 * @param jdbcUrl {@code jdbc:postgresql://127.0.0.1:<port>/<name>}, no credentials in it
 * @param user    the login role
 */
public record TestDatabase(String name, String jdbcUrl, String user, Supplier<char[]> password) {

    /** An unpooled data source (no migrations run): for tests that set up their own schema. */
    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(user);
        dataSource.setPassword(new String(password.get()));
        return dataSource;
    }

    /** The amtbus pool on this database with every migration applied; the caller closes it. */
    public Database migrated() {
        return Database.connect(jdbcUrl, user, password, 4);
    }

    @Override
    public String toString() {
        return "TestDatabase[" + jdbcUrl + ", user=" + user + "]";
    }
}
