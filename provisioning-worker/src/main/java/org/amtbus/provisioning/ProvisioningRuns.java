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
 * Blocking JDBC.
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

    /** Takes the device for a request: empty when taken, else the run that holds it (nothing changed). */
    public Optional<Run> claim(Run run) {
        String sql = "INSERT INTO provisioning_runs (guid, tenant, profile, state, request_id, control_mode)"
                + " VALUES (?, ?, ?, 'running', ?, ?) ON CONFLICT (guid) DO NOTHING";
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setObject(1, run.guid().toUuid());
            st.setString(2, run.tenant().value());
            st.setString(3, run.profile());
            st.setObject(4, run.requestId());
            st.setString(5, run.controlMode().wireName());
            if (st.executeUpdate() == 1) {
                return Optional.empty();
            }
        } catch (SQLException e) {
            throw new ProvisioningStoreException("could not claim device " + run.guid(), e);
        }
        return Optional.of(find(run.guid()).orElseThrow(() ->
                new ProvisioningStoreException("the run of device " + run.guid() + " vanished while claiming", null)));
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
                return Optional.of(new Run(guid, new TenantId(rs.getString("tenant")), rs.getString("profile"),
                        "running".equals(rs.getString("state")) ? State.RUNNING : State.PROVISIONED,
                        rs.getObject("request_id", UUID.class), ControlMode.of(rs.getString("control_mode"))));
            }
        } catch (SQLException e) {
            throw new ProvisioningStoreException("could not read the run of device " + guid, e);
        }
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
