package org.amtbus.platform.device;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.GatewayId;
import org.amtbus.schemas.model.TenantId;

/**
 * Which gateway holds which device (tables {@code device_leases} and {@code gateways}).
 *
 * <p>Invariants: a claim always wins (the newest connection is the device's current one); a release
 * changes something only if it names the current connection, so a late disconnect of an old connection
 * changes nothing; a lease counts only while its gateway's heartbeat is fresh, so one heartbeat write per
 * gateway keeps all its devices' leases valid; {@link #reapLapsed()} removes the leases of lapsed gateways
 * exactly once (DELETE ... RETURNING), so only one reaper announces each device as gone. Times are the
 * database's, so gateways with skewed clocks agree. Blocking JDBC.
 */
public final class DeviceLeases {

    private final DataSource dataSource;

    public DeviceLeases(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource);
    }

    /**
     * Records a gateway as alive for {@code ttl}; call every ttl/3 or so. Returns true if its heartbeat had
     * lapsed before this renewal (or did not exist): its leases may have been reaped meanwhile.
     */
    public boolean heartbeat(GatewayId gateway, UUID instanceId, Duration ttl) {
        String read = "SELECT expires_at <= now() FROM gateways WHERE gateway_id = ? FOR UPDATE";
        String renew = "INSERT INTO gateways (gateway_id, instance_id, heartbeat_at, expires_at)"
                + " VALUES (?, ?, now(), now() + ? * interval '1 millisecond')"
                + " ON CONFLICT (gateway_id) DO UPDATE SET instance_id = excluded.instance_id,"
                + " heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at";
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement before = c.prepareStatement(read); PreparedStatement st = c.prepareStatement(renew)) {
                before.setString(1, gateway.value());
                boolean lapsed;
                try (ResultSet rs = before.executeQuery()) {
                    lapsed = !rs.next() || rs.getBoolean(1);
                }
                st.setString(1, gateway.value());
                st.setObject(2, instanceId);
                st.setLong(3, ttl.toMillis());
                st.executeUpdate();
                c.commit();
                return lapsed;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new DeviceStoreException("could not renew the heartbeat of gateway " + gateway, e);
        }
    }

    /**
     * Starts a gateway: takes its id (refused while another instance's heartbeat under that id is fresh)
     * and ends every lease left from its previous run, whose connections are gone. Returns those leases
     * so the caller can announce the devices as disconnected.
     *
     * @throws IllegalStateException if another live instance uses the id
     */
    public List<Lease> startGateway(GatewayId gateway, UUID instanceId, Duration ttl) {
        String take = "INSERT INTO gateways (gateway_id, instance_id, heartbeat_at, expires_at)"
                + " VALUES (?, ?, now(), now() + ? * interval '1 millisecond')"
                + " ON CONFLICT (gateway_id) DO UPDATE SET instance_id = excluded.instance_id,"
                + " heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at"
                + " WHERE gateways.expires_at <= now() OR gateways.instance_id = excluded.instance_id";
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(take)) {
            st.setString(1, gateway.value());
            st.setObject(2, instanceId);
            st.setLong(3, ttl.toMillis());
            if (st.executeUpdate() == 0) {
                throw new IllegalStateException("gateway id " + gateway + " is in use by another running gateway");
            }
        } catch (SQLException e) {
            throw new DeviceStoreException("could not register gateway " + gateway, e);
        }
        String sql = "DELETE FROM device_leases l USING devices d WHERE d.guid = l.guid AND l.gateway_id = ?"
                + " RETURNING l.guid, d.tenant, l.gateway_id, l.connection_id, l.claimed_at";
        return leases(sql, gateway.value());
    }

    /** Marks a gateway's heartbeat as lapsed now (a clean stop), so its leases are reaped at once. */
    public void stopHeartbeat(GatewayId gateway) {
        update("UPDATE gateways SET expires_at = now() WHERE gateway_id = ?", gateway.value(), null,
                "could not end the heartbeat of gateway " + gateway);
    }

    /** Claims a device for a connection; returns the lease it replaced, if any (another connection's). */
    public Optional<Lease> claim(DeviceGuid guid, GatewayId gateway, UUID connectionId) {
        String previous = "SELECT l.gateway_id, l.connection_id, l.claimed_at, d.tenant FROM devices d"
                + " LEFT JOIN device_leases l ON l.guid = d.guid WHERE d.guid = ? FOR UPDATE OF d";
        String upsert = "INSERT INTO device_leases (guid, gateway_id, connection_id, claimed_at)"
                + " VALUES (?, ?, ?, clock_timestamp()) ON CONFLICT (guid) DO UPDATE SET gateway_id = excluded.gateway_id,"
                + " connection_id = excluded.connection_id, claimed_at = excluded.claimed_at";
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement read = c.prepareStatement(previous); PreparedStatement write = c.prepareStatement(upsert)) {
                read.setObject(1, guid.toUuid());
                Optional<Lease> replaced;
                try (ResultSet rs = read.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("device " + guid + " is not registered");
                    }
                    UUID old = rs.getObject(2, UUID.class);
                    replaced = old == null || old.equals(connectionId) ? Optional.empty()
                            : Optional.of(new Lease(guid, new TenantId(rs.getString(4)), new GatewayId(rs.getString(1)),
                                    old, rs.getTimestamp(3).toInstant()));
                }
                write.setObject(1, guid.toUuid());
                write.setString(2, gateway.value());
                write.setObject(3, connectionId);
                write.executeUpdate();
                c.commit();
                return replaced;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new DeviceStoreException("could not claim device " + guid + " for gateway " + gateway, e);
        }
    }

    /**
     * Takes the lease back for a connection that is still open after its lease lapsed (PostgreSQL or the
     * gateway's heartbeat was away): only if the device is held by nobody, by this connection already, or by a
     * gateway whose heartbeat lapsed. Never takes it from a live holder (the device may have dialled another
     * gateway meanwhile). True if the lease is this connection's now.
     */
    public boolean reclaim(DeviceGuid guid, GatewayId gateway, UUID connectionId) {
        String sql = "INSERT INTO device_leases (guid, gateway_id, connection_id, claimed_at)"
                + " VALUES (?, ?, ?, clock_timestamp()) ON CONFLICT (guid) DO UPDATE SET gateway_id = excluded.gateway_id,"
                + " connection_id = excluded.connection_id, claimed_at = excluded.claimed_at"
                + " WHERE device_leases.connection_id = excluded.connection_id OR NOT EXISTS (SELECT 1 FROM gateways g"
                + " WHERE g.gateway_id = device_leases.gateway_id AND g.expires_at > now())";
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setObject(1, guid.toUuid());
            st.setString(2, gateway.value());
            st.setObject(3, connectionId);
            return st.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new DeviceStoreException("could not reclaim device " + guid + " for gateway " + gateway, e);
        }
    }

    /** Ends a connection's lease; false when the device is held by another connection (or nobody). */
    public boolean release(DeviceGuid guid, UUID connectionId) {
        return update("DELETE FROM device_leases WHERE guid = ? AND connection_id = ?", guid.toUuid(), connectionId,
                "could not release device " + guid) == 1;
    }

    /** The device's valid lease: held by a gateway whose heartbeat is fresh. */
    public Optional<Lease> holder(DeviceGuid guid) {
        String sql = "SELECT l.guid, d.tenant, l.gateway_id, l.connection_id, l.claimed_at FROM device_leases l"
                + " JOIN gateways g ON g.gateway_id = l.gateway_id JOIN devices d ON d.guid = l.guid"
                + " WHERE l.guid = ? AND g.expires_at > now()";
        List<Lease> found = leases(sql, guid.toUuid());
        return found.stream().findFirst();
    }

    /** The valid leases of several devices at once (one query), by GUID; devices nobody holds are absent. */
    public java.util.Map<DeviceGuid, Lease> holders(java.util.Collection<DeviceGuid> guids) {
        java.util.Map<DeviceGuid, Lease> out = new java.util.HashMap<>();
        if (guids.isEmpty()) {
            return out;
        }
        String sql = "SELECT l.guid, d.tenant, l.gateway_id, l.connection_id, l.claimed_at FROM device_leases l"
                + " JOIN gateways g ON g.gateway_id = l.gateway_id JOIN devices d ON d.guid = l.guid"
                + " WHERE l.guid = ANY (?) AND g.expires_at > now()";
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setArray(1, c.createArrayOf("uuid", guids.stream().map(DeviceGuid::toUuid).distinct().toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Lease l = new Lease(DeviceGuid.of(rs.getObject(1, UUID.class)), new TenantId(rs.getString(2)),
                            new GatewayId(rs.getString(3)), rs.getObject(4, UUID.class), rs.getTimestamp(5).toInstant());
                    out.put(l.guid(), l);
                }
            }
            return out;
        } catch (SQLException e) {
            throw new DeviceStoreException("could not read device leases", e);
        }
    }

    /** Every valid lease of a gateway. */
    public List<Lease> heldBy(GatewayId gateway) {
        String sql = "SELECT l.guid, d.tenant, l.gateway_id, l.connection_id, l.claimed_at FROM device_leases l"
                + " JOIN gateways g ON g.gateway_id = l.gateway_id JOIN devices d ON d.guid = l.guid"
                + " WHERE l.gateway_id = ? AND g.expires_at > now() ORDER BY l.guid";
        return leases(sql, gateway.value());
    }

    /** Gateways whose heartbeat is fresh. */
    public List<GatewayId> liveGateways() {
        List<GatewayId> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT gateway_id FROM gateways WHERE expires_at > now() ORDER BY 1");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(new GatewayId(rs.getString(1)));
            }
            return out;
        } catch (SQLException e) {
            throw new DeviceStoreException("could not read gateways", e);
        }
    }

    /**
     * Removes and returns the leases of gateways whose heartbeat lapsed. Concurrent callers each get a
     * disjoint set, so each device is announced disconnected once.
     */
    public List<Lease> reapLapsed() {
        String sql = "DELETE FROM device_leases l USING gateways g, devices d"
                + " WHERE g.gateway_id = l.gateway_id AND d.guid = l.guid AND g.expires_at <= now()"
                + " RETURNING l.guid, d.tenant, l.gateway_id, l.connection_id, l.claimed_at";
        return leases(sql, null);
    }

    private List<Lease> leases(String sql, Object parameter) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            if (parameter != null) {
                st.setObject(1, parameter);
            }
            List<Lease> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new Lease(DeviceGuid.of(rs.getObject(1, UUID.class)), new TenantId(rs.getString(2)),
                            new GatewayId(rs.getString(3)), rs.getObject(4, UUID.class), rs.getTimestamp(5).toInstant()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new DeviceStoreException("could not read device leases", e);
        }
    }

    private int update(String sql, Object first, Object second, String what) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setObject(1, first);
            if (second != null) {
                st.setObject(2, second);
            }
            return st.executeUpdate();
        } catch (SQLException e) {
            throw new DeviceStoreException(what, e);
        }
    }
}
