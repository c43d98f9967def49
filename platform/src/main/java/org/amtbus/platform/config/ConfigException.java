package org.amtbus.platform.config;

/** A configuration problem. The message is one line naming the setting and what is allowed. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
