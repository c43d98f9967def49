package org.amtbus.schemas.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The v1 command catalogue; {@link #wireName()} is the {@code action} value on the wire. */
public enum CommandAction {
    POWER_ON("power.on"),
    /** Soft (graceful) power off. */
    POWER_OFF("power.off"),
    POWER_OFF_HARD("power.off.hard"),
    POWER_RESET("power.reset"),
    POWER_CYCLE("power.cycle"),
    /** Power up into BIOS setup. */
    POWER_BIOS("power.bios"),
    POWER_RESET_BIOS("power.reset.bios"),
    /** Query the power state; changes nothing. */
    POWER_STATE("power.state"),
    /** AMT version, provisioning state, control mode. */
    AMT_INFO("amt.info"),
    /** AMT general settings. */
    AMT_SETTINGS("amt.settings");

    private static final Map<String, CommandAction> BY_WIRE_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(CommandAction::wireName, Function.identity()));

    private final String wireName;

    CommandAction(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public static Optional<CommandAction> fromWireName(String wireName) {
        return Optional.ofNullable(wireName == null ? null : BY_WIRE_NAME.get(wireName));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
