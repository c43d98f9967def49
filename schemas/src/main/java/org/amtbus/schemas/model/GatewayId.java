package org.amtbus.schemas.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/**
 * Id of one cira-gateway instance. Invariant: matches {@code [a-z0-9][a-z0-9-]{0,62}}, so
 * {@code amtbus.gateway.<id>} is always a legal Kafka topic name.
 */
public record GatewayId(@JsonValue String value) {
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public GatewayId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "a gateway id must be 1 to 63 lowercase letters, digits or '-', starting with a letter or digit");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
