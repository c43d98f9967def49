package org.amtbus.provisioning;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.amtbus.provisioning.profile.ControlMode;
import org.amtbus.provisioning.profile.ProvisioningStoreException;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;

/**
 * Which devices the worker holds (table {@code provisioning_runs}): one row per device, {@code running}
 * while a request is applied, {@code provisioned} once it succeeded. The row is the lock that makes a
 * second concurrent request for the device refused and a repeated one answered without redoing.
 * A running row names its worker, the step it is at and a heartbeat the worker refreshes; a row whose
 * heartbeat is older than the lease is stale and taken over by exactly one live worker ({@link #takeOverStale}).
 * Times are the database's ({@code now()}), so workers on different hosts agree. Blocking JDBC.
 */
public final class ProvisioningRuns {

    public enum State { RUNNING, PROVISIONED }

    /** A device's run. */
    public record Run(DeviceGuid guid, TenantId tenant, String profile, State state, UUID requestId, ControlMode controlMode) {
    }

    private final DataSource dataSource;

    public ProvisioningRuns(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource);
    }

    /** A running row whose worker stopped: the run, and the step its worker had reached. */
    public record Stale(Run run, String step) {
    }

    /** Takes the device for a request on behalf of {@code worker}: empty when taken, else the run that holds it. */
    public Optional<Run> claim(Run run, String worker) {
        String sql = "INSERT INTO provisioning_runs (guid, tenant, profile, state, request_id, control_mode, worker)"
                + " VALUES (?, ?, ?, 'running', ?, ?, ?) ON CONFLICT (guid) DO NOTHING";
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setObject(1, run.guid().toUuid());
            st.setString(2, run.tenant().value());
            st.setString(3, run.profile());
            st.setObject(4, run.requestId());
            st.setString(5, run.controlMode().wireName());
            st.setString(6, worker);
            if (st.executeUpdate() == 1) {
                return Optional.empty();
            }
        } catch (SQLException e) {
            throw new ProvisioningStoreException("could not claim device " + run.guid(), e);
        }
        return Optional.of(find(run.guid()).orElseThrow(() ->
                new ProvisioningStoreException("the run of device " + run.guid() + " vanished while claiming", null)));
    }

    /** Records the step a running run has reached (what a recovery must undo), refreshing its heartbeat. */
    public void step(DeviceGuid guid, String step) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(
                "UPDATE provisioning_runs SET step = ?, heartbeat_at = now() WHERE guid = ? AND state = 'running'")) {
            st.setString(1, step);
            st.setObject(2, guid.toUuid());
            st.executeUpdate();
        } catch (SQLException e) {
            throw new ProvisioningStoreException("could not record the step of device " + guid, e);
        }
    }

    /** Refreshes the heartbeat of {@code worker}'s running runs of these devices. */
    public void heartbeat(String worker, java.util.Collection<DeviceGuid> guids) {
        if (guids.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(
                "UPDATE provisioning_runs SET heartbeat_at = now() WHERE guid = ANY (?) AND state = 'running' AND worker = ?")) {
            st.setArray(1, c.createArrayOf("uuid", guids.stream().map(DeviceGuid::toUuid).toArray()));
            st.setString(2, worker);
            st.executeUpdate();
        } catch (SQLException e) {
            throw new ProvisioningStoreException("could not refresh the provisioning heartbeat", e);
        }
    }

    /**
     * Takes over one running run whose heartbeat is older than {@code lease}, for {@code worker} (its heartbeat
     * restarts, so a recovery that cannot finish is retried a lease later); empty when there is none. Two
     * workers never take the same run.
     */
    public Optional<Stale> takeOverStale(String worker, java.time.Duration lease) {
        String sql = "UPDATE provisioning_runs SET worker = ?, heartbeat_at = now() WHERE guid = ("
                + " SELECT guid FROM provisioning_runs WHERE state = 'running' AND heartbeat_at < now() - make_interval(secs => ?)"
                + " ORDER BY heartbeat_at LIMIT 1 FOR UPDATE SKIP LOCKED)"
                + " RETURNING guid, tenant, profile, state, request_id, control_mode, step";
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, worker);
            st.setDouble(2, lease.toMillis() / 1000.0);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(new Stale(run(rs), rs.getString("step"))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new ProvisioningStoreException("could not look for stale provisioning runs", e);
        }
    }

    /**
     * Takes a provisioned device for a reconfiguration on behalf of {@code worker}: its row becomes {@code running}
     * with {@code run}'s profile and request at step {@code reconfigure}; a device registered without a row
     * (provisioned elsewhere, or its row released by a recovery) gets one. Empty when taken, else the run that
     * holds it (running, or in another tenant or control mode).
     */
    public Optional<Run> claimProvisioned(Run run, String worker) {
        String sql = "UPDATE provisioning_runs SET state = 'running', profile = ?, request_id = ?, worker = ?,"
                + " step = 'reconfigure', heartbeat_at = now() WHERE guid = ? AND tenant = ? AND control_mode = ?"
                + " AND state = 'provisioned'";
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, run.profile());
            st.setObject(2, run.requestId());
            st.setString(3, worker);
            st.setObject(4, run.guid().toUuid());
            st.setString(5, run.tenant().value());
            st.setString(6, run.controlMode().wireName());
            if (st.executeUpdate() == 1) {
                return Optional.empty();
            }
        } catch (SQLException e) {
            throw new ProvisioningStoreException("could not claim device " + run.guid(), e);
        }
        return claim(run, worker);
    }

    /** Ends a reconfiguration: the row is {@code provisioned} with {@code profile} (the new one, or the old on failure). */
    public void endReconfiguration(DeviceGuid guid, String profile) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(
                "UPDATE provisioning_runs SET state = 'provisioned', profile = ?, changed_at = now() WHERE guid = ?")) {
            st.setString(1, profile);
            st.setObject(2, guid.toUuid());
            st.executeUpdate();
        } catch (SQLException e) {
            throw new ProvisioningStoreException("could not update the run of device " + guid, e);
        }
    }

    public void markProvisioned(DeviceGuid guid) {
        update("UPDATE provisioning_runs SET state = 'provisioned', changed_at = now() WHERE guid = ?", guid);
    }

    /** Forgets the device's run (a failed run, or a deactivated device); false when there was none. */
    public boolean release(DeviceGuid guid) {
        return update("DELETE FROM provisioning_runs WHERE guid = ?", guid);
    }

    public Optional<Run> find(DeviceGuid guid) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement(
                     "SELECT guid, tenant, profile, state, request_id, control_mode FROM provisioning_runs WHERE guid = ?")) {
            st.setObject(1, guid.toUuid());
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(run(rs));
            }
        } catch (SQLException e) {
            throw new ProvisioningStoreException("could not read the run of device " + guid, e);
        }
    }

    private static Run run(ResultSet rs) throws SQLException {
        return new Run(DeviceGuid.of(rs.getObject("guid", UUID.class)), new TenantId(rs.getString("tenant")), rs.getString("profile"),
                "running".equals(rs.getString("state")) ? State.RUNNING : State.PROVISIONED,
                rs.getObject("request_id", UUID.class), ControlMode.of(rs.getString("control_mode")));
    }

    private boolean update(String sql, DeviceGuid guid) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setObject(1, guid.toUuid());
            return st.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new ProvisioningStoreException("could not update the run of device " + guid, e);
        }
    }
}
