package org.amtbus.platform.device;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;

/**
 * A registered AMT machine: who owns it and the user name it logs in with over CIRA. Its passwords are
 * in the secret store ({@link DeviceSecrets}), never here.
 *
 * @param hostname empty when unknown
 * @param tags     at most {@link #MAX_TAGS}, each a short word
 */
public record Device(DeviceGuid guid, TenantId tenant, String ciraUsername, Optional<String> hostname,
                     List<String> tags, Instant registeredAt) {

    public static final int MAX_TAGS = 16;
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,253}[A-Za-z0-9])?");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    public Device {
        Objects.requireNonNull(guid, "guid");
        Objects.requireNonNull(tenant, "tenant");
        if (ciraUsername == null || !USERNAME.matcher(ciraUsername).matches()) {
            throw new IllegalArgumentException("a CIRA user name is 1 to 64 letters, digits, '.', '_', '@' or '-'");
        }
        hostname = Objects.requireNonNull(hostname, "hostname");
        if (hostname.isPresent() && !HOSTNAME.matcher(hostname.get()).matches()) {
            throw new IllegalArgumentException("a host name is letters, digits, '.' and '-', at most 255 characters");
        }
        tags = List.copyOf(tags);
        if (tags.size() > MAX_TAGS || !tags.stream().allMatch(t -> TAG.matcher(t).matches())) {
            throw new IllegalArgumentException("at most " + MAX_TAGS + " tags of letters, digits, '.', '_', ':' or '-'");
        }
        Objects.requireNonNull(registeredAt, "registeredAt");
    }

    /** The longest CIRA user name AMT's {@code AddMpServer} accepts. */
    public static final int AMT_MAX_CIRA_USERNAME = 16;

    /**
     * The CIRA user name amtbus gives a device it registers: {@code cira-} and the GUID's first 11 hex digits, so it
     * fits AMT's 16 characters; not secret, and it need not be unique (the gateway looks devices up by GUID).
     */
    public static String defaultCiraUsername(DeviceGuid guid) {
        return "cira-" + guid.value().replace("-", "").substring(0, AMT_MAX_CIRA_USERNAME - 5);
    }
}
