package org.amtbus.provisioning;

import java.util.Objects;
import java.util.Optional;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.wsman.client.Transport;

/**
 * Where the worker finds a device's local AMT: the agent relay (an agent on the machine connected to the
 * broker with a one-time enrollment token, relaying WS-Man to AMT over MQTT topics scoped to that device):
 * {@code AgentRelay}; {@link #NONE} where a node has none. Implementations are thread-safe.
 */
@FunctionalInterface
public interface DeviceChannels {

    /** An agent's relay to one device, with what the agent reported about it. */
    record Channel(DeviceReport report, Transport transport) {
        public Channel {
            Objects.requireNonNull(report, "report");
            Objects.requireNonNull(transport, "transport");
        }
    }

    /** The relay to the device if its agent is connected now. */
    Optional<Channel> find(TenantId tenant, DeviceGuid guid);

    /** No relay exists (yet). */
    DeviceChannels NONE = (tenant, guid) -> Optional.empty();
}
