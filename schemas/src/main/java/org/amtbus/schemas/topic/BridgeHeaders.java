package org.amtbus.schemas.topic;

/**
 * Kafka record headers the broker stamps on what operators publish (commands, provisioning requests).
 *
 * <p>Invariant: these come from the broker's authenticated session and the parsed topic, never from
 * the payload; a consumer such as the command router trusts the headers and nothing a client wrote
 * that claims to be an identity. Values are UTF-8.
 */
public final class BridgeHeaders {

    /** The authenticated account that published. */
    public static final String PRINCIPAL = "amtbus-principal";
    /** The MQTT client id of the publishing session. */
    public static final String CLIENT_ID = "amtbus-client-id";
    /** The tenant level of the topic it was published on. */
    public static final String TENANT = "amtbus-tenant";
    /** The full MQTT topic it was published on. */
    public static final String MQTT_TOPIC = "amtbus-mqtt-topic";
    /** When the broker received it, an RFC 3339 UTC instant. */
    public static final String RECEIVED_AT = "amtbus-received-at";

    private BridgeHeaders() {
    }
}
