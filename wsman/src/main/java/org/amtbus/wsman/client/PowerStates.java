package org.amtbus.wsman.client;

import java.util.Map;

/** Names for the DMTF PowerState ValueMap as amtbus reports them. */
public final class PowerStates {
    public static final int ON = 2;
    public static final int SLEEP_LIGHT = 3;
    public static final int SLEEP_DEEP = 4;
    public static final int POWER_CYCLE_OFF_SOFT = 5;
    public static final int OFF_HARD = 6;
    public static final int HIBERNATE = 7;
    public static final int OFF_SOFT = 8;
    public static final int MASTER_BUS_RESET = 10;
    public static final int OFF_SOFT_GRACEFUL = 12;
    public static final int MASTER_BUS_RESET_GRACEFUL = 14;

    private static final Map<Integer, String> NAMES = Map.of(
            ON, "on", SLEEP_LIGHT, "sleep", SLEEP_DEEP, "sleep", HIBERNATE, "hibernate",
            OFF_HARD, "off", OFF_SOFT, "off", OFF_SOFT_GRACEFUL, "off", 13, "off");

    private PowerStates() {
    }

    /** {@code on}, {@code sleep}, {@code hibernate}, {@code off} or {@code unknown}. */
    public static String name(int powerState) {
        return NAMES.getOrDefault(powerState, "unknown");
    }
}
