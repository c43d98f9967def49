package org.amtbus.provisioning.profile;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.amtbus.schemas.model.TenantId;

/**
 * Profiles in PostgreSQL (table {@code provisioning_profiles}), one per tenant and name. Holds no secret.
 * Blocking JDBC: call from a virtual thread or worker.
 */
public final class ProfileStore {

    private static final String COLUMNS = "tenant, name, control_mode, mps_address, mps_port, mps_common_name, mps_root_pem,"
            + " periodic_seconds, user_initiated, user_consent, network, ipv4_address, ipv4_prefix, ipv4_gateway, dns_servers, tags";

    /** Whether {@link #put} created a profile or replaced one. */
    public enum Put { CREATED, CHANGED }

    private final DataSource dataSource;

    public ProfileStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource);
    }

    /** Creates the profile, or replaces the tenant's profile of that name. */
    public Put put(Profile p) {
        String sql = "INSERT INTO provisioning_profiles (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (tenant, name) DO UPDATE SET control_mode = EXCLUDED.control_mode,"
                + " mps_address = EXCLUDED.mps_address, mps_port = EXCLUDED.mps_port, mps_common_name = EXCLUDED.mps_common_name,"
                + " mps_root_pem = EXCLUDED.mps_root_pem, periodic_seconds = EXCLUDED.periodic_seconds,"
                + " user_initiated = EXCLUDED.user_initiated, user_consent = EXCLUDED.user_consent, network = EXCLUDED.network,"
                + " ipv4_address = EXCLUDED.ipv4_address, ipv4_prefix = EXCLUDED.ipv4_prefix, ipv4_gateway = EXCLUDED.ipv4_gateway,"
                + " dns_servers = EXCLUDED.dns_servers, tags = EXCLUDED.tags, changed_at = now()"
                + " RETURNING (xmax = 0) AS inserted";
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            CiraPolicy cira = p.cira();
            NetworkSettings n = p.network();
            st.setString(1, p.tenant().value());
            st.setString(2, p.name());
            st.setString(3, p.controlMode().wireName());
            st.setString(4, cira.mpsAddress());
            st.setInt(5, cira.mpsPort());
            st.setString(6, cira.mpsCommonName().orElse(null));
            st.setString(7, cira.mpsRoot().map(Certificates::toPem).orElse(null));
            st.setInt(8, cira.periodicSeconds());
            st.setBoolean(9, cira.userInitiated());
            st.setString(10, p.userConsent().wireName());
            st.setString(11, n.mode() == NetworkSettings.Mode.DHCP ? "dhcp" : "static");
            st.setString(12, n.address().orElse(null));
            st.setObject(13, n.mode() == NetworkSettings.Mode.STATIC ? n.prefixLength() : null);
            st.setString(14, n.gateway().orElse(null));
            st.setArray(15, c.createArrayOf("text", n.dnsServers().toArray()));
            st.setArray(16, c.createArrayOf("text", p.tags().toArray()));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1) ? Put.CREATED : Put.CHANGED;
            }
        } catch (SQLException e) {
            throw new ProvisioningStoreException("could not store profile " + p.name() + " of tenant " + p.tenant(), e);
        }
    }

    public Optional<Profile> find(TenantId tenant, String name) {
        return query("SELECT " + COLUMNS + " FROM provisioning_profiles WHERE tenant = ? AND name = ?",
                List.of(tenant.value(), name)).stream().findFirst();
    }

    /** The tenant's profiles (all tenants' when empty), by tenant and name. */
    public List<Profile> list(Optional<TenantId> tenant) {
        return tenant.isPresent()
                ? query("SELECT " + COLUMNS + " FROM provisioning_profiles WHERE tenant = ? ORDER BY name", List.of(tenant.get().value()))
                : query("SELECT " + COLUMNS + " FROM provisioning_profiles ORDER BY tenant, name", List.of());
    }

    /** Deletes a profile; false when there was none. Devices provisioned with it stay as they are. */
    public boolean delete(TenantId tenant, String name) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("DELETE FROM provisioning_profiles WHERE tenant = ? AND name = ?")) {
            st.setString(1, tenant.value());
            st.setString(2, name);
            return st.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new ProvisioningStoreException("could not delete profile " + name + " of tenant " + tenant, e);
        }
    }

    private List<Profile> query(String sql, List<String> parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                st.setString(i + 1, parameters.get(i));
            }
            List<Profile> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new ProvisioningStoreException("could not read profiles", e);
        }
    }

    private static Profile read(ResultSet rs) throws SQLException {
        String rootPem = rs.getString("mps_root_pem");
        CiraPolicy cira = new CiraPolicy(rs.getString("mps_address"), rs.getInt("mps_port"),
                Optional.ofNullable(rs.getString("mps_common_name")),
                Optional.ofNullable(rootPem).map(Certificates::fromPem), rs.getInt("periodic_seconds"),
                rs.getBoolean("user_initiated"));
        NetworkSettings network = "dhcp".equals(rs.getString("network")) ? NetworkSettings.dhcp()
                : NetworkSettings.staticAddress(rs.getString("ipv4_address"), rs.getInt("ipv4_prefix"),
                        rs.getString("ipv4_gateway"), strings(rs.getArray("dns_servers")));
        return new Profile(rs.getString("name"), new TenantId(rs.getString("tenant")), ControlMode.of(rs.getString("control_mode")),
                cira, UserConsent.of(rs.getString("user_consent")), network, strings(rs.getArray("tags")));
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
