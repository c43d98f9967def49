package org.amtbus.schemas.agent;

import java.util.Objects;
import java.util.UUID;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;

/**
 * One piece of a relayed WS-Man byte stream between the worker and an agent, on {@code .../agent/wsman/requests}
 * (worker to agent) and {@code .../agent/wsman/responses} (agent to worker). A {@code connection} id is the
 * correlation id: the agent opens one local AMT connection (LME, port 16992) per id, and answers on the same id.
 * {@code seq} counts the frames of one connection and direction from 0, so a lost or reordered frame is seen.
 * A {@link Kind#CLOSE} frame ends the connection in that direction.
 *
 * <p>Invariant: a DATA frame carries 1 to {@link #MAX_DATA} bytes; a CLOSE frame none. The bytes are the HTTP
 * request or response sealed with the connection's {@link FrameCipher}; the worker's first frame of a connection
 * carries its public key in {@code key} (null otherwise).
 */
public record AgentFrame(TenantId tenant, DeviceGuid guid, UUID connection, long seq, Kind kind, byte[] data, String key) {

    /** Bytes per frame: well under the broker's default 64 KiB packet limit after base64. */
    public static final int MAX_DATA = 16 * 1024;

    public enum Kind { DATA, CLOSE }

    public AgentFrame {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(guid, "guid");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(kind, "kind");
        if (seq < 0) {
            throw new IllegalArgumentException("seq must not be negative");
        }
        data = data == null ? new byte[0] : data;
        if (key != null && key.length() > 256) {
            throw new IllegalArgumentException("a public key is at most 256 characters");
        }
        if (kind == Kind.DATA && (data.length == 0 || data.length > MAX_DATA)) {
            throw new IllegalArgumentException("a DATA frame carries 1-" + MAX_DATA + " bytes");
        }
        if (kind == Kind.CLOSE && data.length != 0) {
            throw new IllegalArgumentException("a CLOSE frame carries no bytes");
        }
    }

    public static AgentFrame data(TenantId tenant, DeviceGuid guid, UUID connection, long seq, byte[] data) {
        return new AgentFrame(tenant, guid, connection, seq, Kind.DATA, data, null);
    }

    /** The same frame carrying the sender's public key (the worker's first frame of a connection). */
    public AgentFrame withKey(String publicKey) {
        return new AgentFrame(tenant, guid, connection, seq, kind, data, publicKey);
    }

    public static AgentFrame close(TenantId tenant, DeviceGuid guid, UUID connection, long seq) {
        return new AgentFrame(tenant, guid, connection, seq, Kind.CLOSE, null, null);
    }

    @Override
    public String toString() {
        return "AgentFrame[guid=" + guid + ", connection=" + connection + ", seq=" + seq + ", kind=" + kind
                + ", bytes=" + data.length + "]";
    }
}
