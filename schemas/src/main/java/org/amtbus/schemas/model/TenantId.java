package org.amtbus.schemas.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/**
 * A tenant id. Invariant: matches {@code [a-z0-9][a-z0-9-]{0,62}}, so it can never carry an MQTT
 * wildcard, a level separator or NUL into a topic or an ACL pattern.
 */
public record TenantId(@JsonValue String value) {
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public TenantId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "a tenant id must be 1 to 63 lowercase letters, digits or '-', starting with a letter or digit");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
