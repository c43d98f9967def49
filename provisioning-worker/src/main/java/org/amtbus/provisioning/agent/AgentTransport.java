package org.amtbus.provisioning.agent;

import java.io.IOException;
import java.util.Objects;
import org.amtbus.wsman.client.Transport;

/**
 * WS-Man to a device's local AMT through its agent: each {@link #open()} is a new correlation id, for which the
 * agent opens a new local connection (as a new APF channel would be over CIRA). Fails at once when the agent
 * session it was found on is no longer connected.
 */
final class AgentTransport implements Transport {

    private final AgentRelay relay;
    private final AgentRelay.Agent agent;

    AgentTransport(AgentRelay relay, AgentRelay.Agent agent) {
        this.relay = Objects.requireNonNull(relay);
        this.agent = Objects.requireNonNull(agent);
    }

    @Override
    public Connection open() throws IOException {
        if (!relay.stillConnected(agent)) {
            throw new IOException("the agent of device " + agent.guid() + " is not connected");
        }
        AgentConnection connection = new AgentConnection(relay, agent);
        relay.opened(connection);
        return connection;
    }

    @Override
    public String toString() {
        return "AgentTransport[guid=" + agent.guid() + "]";
    }
}
