package org.amtbus.schemas.topic;

import java.util.Objects;
import org.amtbus.schemas.model.GatewayId;

/**
 * Names of the internal Kafka topics. Keys: device topics are keyed by device GUID, so one device's
 * records stay in order; {@link #PRESENCE} is compacted.
 */
public final class KafkaTopics {
    /** {@code Command}s from the broker bridge to command-router, keyed by GUID. */
    public static final String COMMANDS = "amtbus.commands";
    /** {@code CommandResult}s, keyed by GUID. */
    public static final String RESULTS = "amtbus.results";
    /** {@code Presence}, keyed by GUID, compacted. */
    public static final String PRESENCE = "amtbus.presence";
    /** {@code DeviceEvent}s, keyed by GUID. */
    public static final String EVENTS = "amtbus.events";
    /** {@code ProvisioningRequest}s and {@code ProvisioningStatus}es, keyed by GUID. */
    public static final String PROVISIONING = "amtbus.provisioning";
    /** {@code AuditEvent}s from every module. */
    public static final String AUDIT = "amtbus.audit";
    /** {@code Alert}s from audit-sink. */
    public static final String ALERTS = "amtbus.alerts";
    /** ACL change notices; consumers invalidate caches and drop revoked sessions. */
    public static final String ACL_CHANGES = "amtbus.acl.changes";
    /**
     * Results as gateways report them; the command router turns each into the one terminal result on
     * {@link #RESULTS} (a result that comes after the router's deadline is not published twice).
     */
    public static final String GATEWAY_RESULTS = "amtbus.gateway-results";
    /**
     * What agents publish (their report and WS-Man responses) and that their session ended, keyed by GUID;
     * the broker stamps {@link BridgeHeaders} and {@link #AGENT_KIND_HEADER}. Every provisioning node reads all.
     */
    public static final String AGENT_UP = "amtbus.agent.up";
    /** WS-Man request frames for agents, keyed by GUID; every broker reads all and delivers to its own agents. */
    public static final String AGENT_DOWN = "amtbus.agent.down";
    /**
     * WS-Man frames from provisioning workers to the gateway holding a device's CIRA connection
     * ({@link org.amtbus.schemas.cira.CiraFrame}), keyed by gateway id; every gateway reads all and acts on its own.
     */
    public static final String CIRA_WSMAN_DOWN = "amtbus.cira-wsman.down";
    /** The gateways' answer frames, keyed by connection id; every provisioning node reads all. */
    public static final String CIRA_WSMAN_UP = "amtbus.cira-wsman.up";
    /** Header of {@link #AGENT_UP} records: {@code report}, {@code responses} or {@code gone}. */
    public static final String AGENT_KIND_HEADER = "amtbus-agent-kind";
    /** Prefix of the per-gateway command topics. */
    public static final String GATEWAY_PREFIX = "amtbus.gateway.";

    private KafkaTopics() {
    }

    /** The topic a gateway consumes its routed commands from: {@code amtbus.gateway.{gatewayId}}. */
    public static String gateway(GatewayId gatewayId) {
        return GATEWAY_PREFIX + Objects.requireNonNull(gatewayId, "gatewayId").value();
    }
}
