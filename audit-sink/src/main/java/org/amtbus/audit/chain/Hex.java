package org.amtbus.audit.chain;

import java.util.HexFormat;

/** Lowercase hex for hashes and key ids in logs, reports and SIEM fields. Stateless. */
public final class Hex {

    private static final HexFormat FORMAT = HexFormat.of();

    private Hex() {
    }

    public static String of(byte[] bytes) {
        return FORMAT.formatHex(bytes);
    }

    public static byte[] parse(String hex) {
        return FORMAT.parseHex(hex);
    }
}
