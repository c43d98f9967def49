package org.amtbus.platform.device;

import java.sql.Array;
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
import java.util.UUID;
import javax.sql.DataSource;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;

/**
 * The registered devices (table {@code devices}). A device that is not here cannot log in over CIRA.
 * Blocking JDBC: call from a virtual thread or worker, never an event loop.
 */
public final class DeviceRegistry {

    private static final String COLUMNS = "guid, tenant, cira_username, hostname, tags, registered_at";
    private final DataSource dataSource;

    public DeviceRegistry(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource);
    }

    /** Registers a device; false when its GUID is already registered (nothing changes then). */
    public boolean add(Device device) {
        String sql = "INSERT INTO devices (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (guid) DO NOTHING";
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setObject(1, device.guid().toUuid());
            st.setString(2, device.tenant().value());
            st.setString(3, device.ciraUsername());
            st.setString(4, device.hostname().orElse(null));
            st.setArray(5, c.createArrayOf("text", device.tags().toArray()));
            st.setTimestamp(6, Timestamp.from(device.registeredAt()));
            return st.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new DeviceStoreException("could not register device " + device.guid(), e);
        }
    }

    public Optional<Device> find(DeviceGuid guid) {
        return query("SELECT " + COLUMNS + " FROM devices WHERE guid = ?", guid.toUuid(), 1).stream().findFirst();
    }

    /** Devices of a tenant (or all when empty), by GUID, at most {@code limit}. */
    public List<Device> list(Optional<TenantId> tenant, int limit) {
        return tenant.isPresent()
                ? query("SELECT " + COLUMNS + " FROM devices WHERE tenant = ? ORDER BY guid LIMIT ?", tenant.get().value(), limit)
                : query("SELECT " + COLUMNS + " FROM devices ORDER BY guid LIMIT ?", null, limit);
    }

    /** Devices carrying a tag, by GUID, at most {@code limit}. */
    public List<Device> withTag(String tag, int limit) {
        return query("SELECT " + COLUMNS + " FROM devices WHERE ? = ANY (tags) ORDER BY guid LIMIT ?", tag, limit);
    }

    /** Removes a device and its lease; false when it was not registered. Its secrets are the caller's to remove. */
    public boolean remove(DeviceGuid guid) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("DELETE FROM devices WHERE guid = ?")) {
            st.setObject(1, guid.toUuid());
            return st.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new DeviceStoreException("could not remove device " + guid, e);
        }
    }

    private List<Device> query(String sql, Object parameter, int limit) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            int i = 1;
            if (parameter != null) {
                st.setObject(i++, parameter);
            }
            if (sql.contains("LIMIT ?")) {
                st.setInt(i, limit);
            }
            List<Device> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new DeviceStoreException("could not read devices", e);
        }
    }

    private static Device read(ResultSet rs) throws SQLException {
        Array tags = rs.getArray("tags");
        return new Device(DeviceGuid.of(rs.getObject("guid", UUID.class)), new TenantId(rs.getString("tenant")),
                rs.getString("cira_username"), Optional.ofNullable(rs.getString("hostname")),
                tags == null ? List.of() : Arrays.asList((String[]) tags.getArray()),
                rs.getTimestamp("registered_at").toInstant());
    }
}
