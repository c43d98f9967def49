package org.amtbus.acl.account;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.amtbus.schemas.model.TenantId;

/**
 * Accounts and their password hashes in PostgreSQL (table {@code accounts}).
 *
 * <p>Invariant: only Argon2id hashes are stored, never a password. Every statement is parameterized.
 * Methods block on JDBC: call them from a virtual thread or a worker, never a Netty event loop.
 */
public final class AccountStore {

    private static final String COLUMNS = "name, kind, superuser, created_at, tenant";
    private final DataSource dataSource;

    public AccountStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource);
    }

    /** Creates an account; false when the name is taken. */
    public boolean create(Account account, String passwordHash) {
        String sql = "INSERT INTO accounts (name, kind, superuser, password_hash, created_at, tenant) VALUES (?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (name) DO NOTHING";
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, account.name().value());
            st.setString(2, account.kind().name().toLowerCase(Locale.ROOT));
            st.setBoolean(3, account.superuser());
            st.setString(4, passwordHash);
            st.setTimestamp(5, Timestamp.from(account.createdAt()));
            st.setString(6, account.tenant().map(TenantId::value).orElse(null));
            return st.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new AccountStoreException("could not create account " + account.name(), e);
        }
    }

    public Optional<Account> find(AccountName name) {
        return query("SELECT " + COLUMNS + " FROM accounts WHERE name = ?", name.value())
                .stream().findFirst();
    }

    public List<Account> list() {
        return query("SELECT " + COLUMNS + " FROM accounts ORDER BY name", null);
    }

    /** The stored Argon2id hash; read only by the authenticator. */
    public Optional<String> passwordHashOf(AccountName name) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT password_hash FROM accounts WHERE name = ?")) {
            st.setString(1, name.value());
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new AccountStoreException("could not read account " + name, e);
        }
    }

    /** Replaces the password hash; false when the account does not exist. */
    public boolean setPasswordHash(AccountName name, String passwordHash) {
        String sql = "UPDATE accounts SET password_hash = ?, password_changed_at = now() WHERE name = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, passwordHash);
            st.setString(2, name.value());
            return st.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new AccountStoreException("could not change the password of " + name, e);
        }
    }

    /** Sets or clears the account's tenant; false when the account does not exist. */
    public boolean setTenant(AccountName name, Optional<TenantId> tenant) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("UPDATE accounts SET tenant = ? WHERE name = ?")) {
            st.setString(1, tenant.map(TenantId::value).orElse(null));
            st.setString(2, name.value());
            return st.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new AccountStoreException("could not change the tenant of " + name, e);
        }
    }

    public boolean delete(AccountName name) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("DELETE FROM accounts WHERE name = ?")) {
            st.setString(1, name.value());
            return st.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new AccountStoreException("could not delete account " + name, e);
        }
    }

    private List<Account> query(String sql, String parameter) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            if (parameter != null) {
                st.setString(1, parameter);
            }
            List<Account> accounts = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    accounts.add(new Account(
                            new AccountName(rs.getString(1)),
                            Account.Kind.valueOf(rs.getString(2).toUpperCase(Locale.ROOT)),
                            rs.getBoolean(3),
                            rs.getTimestamp(4).toInstant(),
                            Optional.ofNullable(rs.getString(5)).map(TenantId::new)));
                }
            }
            return accounts;
        } catch (SQLException e) {
            throw new AccountStoreException("could not read accounts", e);
        }
    }

    /** A database failure; a server error the caller may retry, never a client's fault. */
    public static final class AccountStoreException extends RuntimeException {
        public AccountStoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
