package org.amtbus.provisioning;

import java.util.Objects;
import java.util.Optional;
import org.amtbus.provisioning.cira.CiraRelay;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.wsman.client.Transport;

/**
 * The two ways a worker reaches a device's AMT: through its agent ({@link DeviceChannels}), and, once the device
 * is managed and connected, through the gateway holding its CIRA connection ({@link CiraRelay}, when this node has
 * one). Which one is tried first depends on the work: a run in progress talks to the agent it started with, a
 * managed device is reached over CIRA.
 */
public final class DevicePaths {

    private final DeviceChannels agents;
    private final Optional<CiraRelay> cira;

    public DevicePaths(DeviceChannels agents, Optional<CiraRelay> cira) {
        this.agents = Objects.requireNonNull(agents);
        this.cira = Objects.requireNonNull(cira);
    }

    /** The device's agent, if it is connected now. */
    public Optional<DeviceChannels.Channel> agent(TenantId tenant, DeviceGuid guid) {
        return agents.find(tenant, guid);
    }

    /** WS-Man through the gateway holding the device's CIRA connection, if any. */
    public Optional<Transport> overCira(TenantId tenant, DeviceGuid guid) {
        return cira.flatMap(c -> c.find(tenant, guid));
    }

    /** Whether this node can reach devices over CIRA at all. */
    public boolean hasCira() {
        return cira.isPresent();
    }

    /** For a managed device (deactivation): over CIRA, else through its agent. */
    public Optional<Transport> managed(TenantId tenant, DeviceGuid guid) {
        return overCira(tenant, guid).or(() -> agent(tenant, guid).map(DeviceChannels.Channel::transport));
    }

    /** For a run that was in progress (recovery): through its agent, else over CIRA if it got that far. */
    public Optional<Transport> inProgress(TenantId tenant, DeviceGuid guid) {
        return agent(tenant, guid).map(DeviceChannels.Channel::transport).or(() -> overCira(tenant, guid));
    }
}
