package org.amtbus.apf;

import java.util.Objects;
import java.util.UUID;

/**
 * Converts the 16 UUID bytes of PROTOCOL_VERSION to and from the canonical device GUID.
 *
 * <p>AMT sends the SMBIOS (Microsoft mixed-endian) layout: the first three groups are little-endian,
 * the last two are in order. Wire bytes {@code b0..b15} give {@code b3b2b1b0-b5b4-b7b6-b8b9-b10..b15}.
 * {@link UUID#toString()} prints lower case, the normalised form MPS and MeshCentral use.
 * (AMT's {@code CIM_ComputerSystemPackage.PlatformGUID} is the unswapped hex; do not feed it here.)
 */
public final class AmtGuid {

    /** Length of the UUID field of PROTOCOL_VERSION. */
    public static final int WIRE_LENGTH = 16;

    private AmtGuid() {
    }

    /** Reads the canonical GUID from the 16 wire bytes. */
    public static UUID fromWire(byte[] wire) {
        Objects.requireNonNull(wire, "wire");
        if (wire.length != WIRE_LENGTH) {
            throw new IllegalArgumentException("a GUID has 16 bytes, not " + wire.length);
        }
        byte[] b = swap(wire);
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (b[i] & 0xFF);
            lsb = (lsb << 8) | (b[i + 8] & 0xFF);
        }
        return new UUID(msb, lsb);
    }

    /** Writes the canonical GUID as AMT's 16 wire bytes. */
    public static byte[] toWire(UUID guid) {
        Objects.requireNonNull(guid, "guid");
        byte[] b = new byte[WIRE_LENGTH];
        long msb = guid.getMostSignificantBits();
        long lsb = guid.getLeastSignificantBits();
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) msb;
            b[i + 8] = (byte) lsb;
            msb >>>= 8;
            lsb >>>= 8;
        }
        return swap(b);
    }

    /** The mixed-endian permutation; it is its own inverse. */
    private static byte[] swap(byte[] in) {
        byte[] out = in.clone();
        out[0] = in[3];
        out[1] = in[2];
        out[2] = in[1];
        out[3] = in[0];
        out[4] = in[5];
        out[5] = in[4];
        out[6] = in[7];
        out[7] = in[6];
        return out;
    }
}
