package org.amtbus.acl.grant;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.amtbus.acl.account.AccountName;
import org.amtbus.acl.account.AccountStore;

/**
 * Topic-level grants in PostgreSQL (table {@code grants}). Patterns are validated by the caller
 * before they get here; every statement is parameterized. Blocking (JDBC).
 */
public final class GrantStore {

    private final DataSource dataSource;

    public GrantStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource);
    }

    /** Sets the level of an account on a pattern, replacing an earlier grant on the same pattern. */
    public void put(StoredGrant grant) {
        String sql = "INSERT INTO grants (account, pattern, level) VALUES (?, ?, ?)"
                + " ON CONFLICT (account, pattern) DO UPDATE SET level = EXCLUDED.level, created_at = now()";
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, grant.account().value());
            st.setString(2, grant.pattern());
            st.setInt(3, grant.level());
            st.executeUpdate();
        } catch (SQLException e) {
            throw new AccountStore.AccountStoreException("could not store the grant for " + grant.account(), e);
        }
    }

    /** Removes a grant; false when there was none. */
    public boolean revoke(AccountName account, String pattern) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("DELETE FROM grants WHERE account = ? AND pattern = ?")) {
            st.setString(1, account.value());
            st.setString(2, pattern);
            return st.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new AccountStore.AccountStoreException("could not revoke the grant of " + account, e);
        }
    }

    public List<StoredGrant> of(AccountName account) {
        return query("SELECT account, pattern, level FROM grants WHERE account = ? ORDER BY pattern", account.value());
    }

    public List<StoredGrant> all() {
        return query("SELECT account, pattern, level FROM grants ORDER BY account, pattern", null);
    }

    private List<StoredGrant> query(String sql, String parameter) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            if (parameter != null) {
                st.setString(1, parameter);
            }
            List<StoredGrant> grants = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    grants.add(new StoredGrant(new AccountName(rs.getString(1)), rs.getString(2), rs.getInt(3)));
                }
            }
            return grants;
        } catch (SQLException e) {
            throw new AccountStore.AccountStoreException("could not read grants", e);
        }
    }
}
