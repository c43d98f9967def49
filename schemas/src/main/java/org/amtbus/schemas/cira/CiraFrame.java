package org.amtbus.schemas.cira;

import java.util.Objects;
import java.util.UUID;
import org.amtbus.schemas.agent.FrameCipher;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.GatewayId;
import org.amtbus.schemas.model.TenantId;

/**
 * One piece of a WS-Man byte stream relayed between a provisioning worker and the gateway holding a device's
 * CIRA connection: {@link org.amtbus.schemas.topic.KafkaTopics#CIRA_WSMAN_DOWN} (worker to gateway, keyed by
 * gateway id; a gateway acts only on frames naming it) and {@link org.amtbus.schemas.topic.KafkaTopics#CIRA_WSMAN_UP}
 * (gateway to worker, keyed by connection id). A {@code connection} is one APF channel to the device's port 16992.
 *
 * <p>Protocol: the worker sends {@link Kind#OPEN} with its X25519 public key; the gateway opens the channel and
 * answers {@link Kind#OPENED} with its own key, or {@link Kind#FAIL} with a reason (device not connected here,
 * channel refused). Then {@link Kind#DATA} both ways, sealed with {@link FrameCipher} (DOWN = worker to device),
 * {@code seq} counting each direction's DATA/CLOSE frames from 0; {@link Kind#CLOSE} ends a direction,
 * {@link Kind#FAIL} the whole connection. Reasons never carry bytes of the stream.
 */
public record CiraFrame(Kind kind, TenantId tenant, DeviceGuid guid, GatewayId gateway, UUID connection, long seq,
                        byte[] data, String key, String reason) {

    public enum Kind { OPEN, OPENED, DATA, CLOSE, FAIL }

    public CiraFrame {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(guid, "guid");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(connection, "connection");
        if (seq < 0) {
            throw new IllegalArgumentException("seq must not be negative");
        }
        data = data == null ? new byte[0] : data;
        if (kind == Kind.DATA ? data.length == 0 || data.length > FrameCipher.MAX_PLAIN + FrameCipher.TAG_BYTES
                : data.length != 0) {
            throw new IllegalArgumentException("only a DATA frame carries bytes, 1-"
                    + (FrameCipher.MAX_PLAIN + FrameCipher.TAG_BYTES) + " of them");
        }
        if (key != null && key.length() > 256) {
            throw new IllegalArgumentException("a public key is at most 256 characters");
        }
        if (reason != null && reason.length() > 500) {
            reason = reason.substring(0, 500);
        }
    }

    /** A frame of the same connection (tenant, device, gateway) with another kind. */
    public CiraFrame reply(Kind kind, long seq, byte[] data, String key, String reason) {
        return new CiraFrame(kind, tenant, guid, gateway, connection, seq, data, key, reason);
    }

    @Override
    public String toString() {
        return "CiraFrame[kind=" + kind + ", guid=" + guid + ", gateway=" + gateway + ", connection=" + connection
                + ", seq=" + seq + ", bytes=" + data.length + "]";
    }
}
