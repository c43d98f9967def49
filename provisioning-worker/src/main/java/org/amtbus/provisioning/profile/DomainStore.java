package org.amtbus.provisioning.profile;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.amtbus.platform.secret.Secret;
import org.amtbus.platform.secret.SecretName;
import org.amtbus.platform.secret.SecretStore;
import org.amtbus.schemas.model.TenantId;

/**
 * ACM domains: the public part in PostgreSQL ({@code provisioning_domains}), the .pfx and its password in
 * the secret store ({@code domains/<name>/pfx}, {@code domains/<name>/pfx-password}).
 *
 * <p>Invariants: a domain row exists only with both secrets stored (the row is committed after the
 * secrets are written; a failure removes what this call wrote); {@link #find}/{@link #list} never touch
 * the secrets; only {@link #openCertificate} reads them, for the worker. Blocking (JDBC, secret store).
 */
public final class DomainStore {

    private static final String COLUMNS = "name, tenant, dns_suffix, leaf_subject, root_sha256, expires_at";

    private final DataSource dataSource;
    private final SecretStore secrets;

    public DomainStore(DataSource dataSource, SecretStore secrets) {
        this.dataSource = Objects.requireNonNull(dataSource);
        this.secrets = Objects.requireNonNull(secrets);
    }

    public static SecretName pfxName(String domain) {
        return new SecretName("domains/" + domain + "/pfx");
    }

    public static SecretName pfxPasswordName(String domain) {
        return new SecretName("domains/" + domain + "/pfx-password");
    }

    /**
     * Creates or replaces a domain with its .pfx and password (already checked by the caller, who derived
     * {@code domain}'s certificate facts from them).
     *
     * @return the put's kind
     * @throws IllegalArgumentException when the name belongs to another tenant, or the tenant has another
     *                                  domain with this suffix
     */
    public ProfileStore.Put put(Domain domain, Secret pfx, Secret pfxPassword) {
        Optional<Domain> existing = find(domain.name());
        if (existing.isPresent() && !existing.get().tenant().equals(domain.tenant())) {
            throw new IllegalArgumentException("domain " + domain.name() + " belongs to another tenant");
        }
        String sql = "INSERT INTO provisioning_domains (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (name) DO UPDATE SET dns_suffix = EXCLUDED.dns_suffix, leaf_subject = EXCLUDED.leaf_subject,"
                + " root_sha256 = EXCLUDED.root_sha256, expires_at = EXCLUDED.expires_at, changed_at = now()"
                + " WHERE provisioning_domains.tenant = EXCLUDED.tenant";
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement st = c.prepareStatement(sql)) {
                st.setString(1, domain.name());
                st.setString(2, domain.tenant().value());
                st.setString(3, domain.dnsSuffix());
                st.setString(4, domain.leafSubject());
                st.setString(5, domain.rootSha256());
                st.setTimestamp(6, Timestamp.from(domain.expiresAt()));
                if (st.executeUpdate() != 1) {
                    c.rollback();
                    throw new IllegalArgumentException("domain " + domain.name() + " belongs to another tenant");
                }
                secrets.put(pfxName(domain.name()), pfx);
                secrets.put(pfxPasswordName(domain.name()), pfxPassword);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                if (existing.isEmpty()) {
                    secrets.delete(pfxName(domain.name()));
                    secrets.delete(pfxPasswordName(domain.name()));
                }
                if (e instanceof SQLException sql2 && "23505".equals(sql2.getSQLState())) {
                    throw new IllegalArgumentException("tenant " + domain.tenant() + " has another domain with suffix "
                            + domain.dnsSuffix());
                }
                throw e;
            }
            return existing.isPresent() ? ProfileStore.Put.CHANGED : ProfileStore.Put.CREATED;
        } catch (SQLException e) {
            throw new ProvisioningStoreException("could not store domain " + domain.name(), e);
        }
    }

    public Optional<Domain> find(String name) {
        return query("SELECT " + COLUMNS + " FROM provisioning_domains WHERE name = ?", List.of(name)).stream().findFirst();
    }

    /** The tenant's domain for a DNS suffix (normalized), if any. */
    public Optional<Domain> findBySuffix(TenantId tenant, String dnsSuffix) {
        return query("SELECT " + COLUMNS + " FROM provisioning_domains WHERE tenant = ? AND dns_suffix = ?",
                List.of(tenant.value(), Domain.normalizeSuffix(dnsSuffix))).stream().findFirst();
    }

    /** The tenant's domains (all when empty), by name. */
    public List<Domain> list(Optional<TenantId> tenant) {
        return tenant.isPresent()
                ? query("SELECT " + COLUMNS + " FROM provisioning_domains WHERE tenant = ? ORDER BY name", List.of(tenant.get().value()))
                : query("SELECT " + COLUMNS + " FROM provisioning_domains ORDER BY name", List.of());
    }

    /** Deletes the row and both secrets; false when there was no such domain. */
    public boolean delete(String name) {
        boolean deleted;
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("DELETE FROM provisioning_domains WHERE name = ?")) {
            st.setString(1, name);
            deleted = st.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new ProvisioningStoreException("could not delete domain " + name, e);
        }
        secrets.delete(pfxName(name));
        secrets.delete(pfxPasswordName(name));
        return deleted;
    }

    /**
     * Opens the domain's .pfx with its password from the secret store, for the worker only.
     *
     * @throws IllegalStateException when a secret is missing or the .pfx no longer opens
     */
    public ProvisioningCertificate openCertificate(Domain domain) {
        Secret pfx = secrets.get(pfxName(domain.name()))
                .orElseThrow(() -> new IllegalStateException("the .pfx of domain " + domain.name() + " is not in the secret store"));
        Secret password = secrets.get(pfxPasswordName(domain.name()))
                .orElseThrow(() -> new IllegalStateException("the .pfx password of domain " + domain.name()
                        + " is not in the secret store"));
        byte[] bytes = pfx.revealBytes();
        char[] chars = password.revealChars();
        try {
            return ProvisioningCertificate.fromPkcs12(bytes, chars);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("domain " + domain.name() + ": " + e.getMessage());
        } finally {
            Arrays.fill(bytes, (byte) 0);
            Arrays.fill(chars, '\0');
        }
    }

    private List<Domain> query(String sql, List<String> parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                st.setString(i + 1, parameters.get(i));
            }
            List<Domain> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new Domain(rs.getString("name"), new TenantId(rs.getString("tenant")), rs.getString("dns_suffix"),
                            rs.getString("leaf_subject"), rs.getString("root_sha256").trim(),
                            rs.getTimestamp("expires_at").toInstant()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new ProvisioningStoreException("could not read domains", e);
        }
    }
}
