package org.amtbus.schemas.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A device's AMT GUID. Invariant: the value is a canonical lowercase 8-4-4-4-12 hex UUID, so it is
 * safe as an MQTT topic level, a Kafka key and a log field. Convert firmware byte order before
 * constructing one.
 */
public record DeviceGuid(@JsonValue String value) {
    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public DeviceGuid {
        if (value == null || !CANONICAL.matcher(value).matches()) {
            throw new IllegalArgumentException("a device GUID must be a canonical lowercase 8-4-4-4-12 hex UUID");
        }
    }

    public static DeviceGuid of(UUID uuid) {
        return new DeviceGuid(uuid.toString());
    }

    public UUID toUuid() {
        return UUID.fromString(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
