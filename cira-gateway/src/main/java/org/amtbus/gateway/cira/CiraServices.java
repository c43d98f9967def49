package org.amtbus.gateway.cira;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import org.amtbus.gateway.device.DeviceAuthenticator;
import org.amtbus.gateway.device.DevicePresence;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.schemas.model.GatewayId;

/**
 * What every CIRA connection of a gateway shares.
 *
 * @param blocking       where database and secret-store work runs (virtual threads), never the event loop
 * @param channelTimeout how long to wait for a device to confirm a channel
 */
public record CiraServices(GatewayId gateway, ApfSession.Config session, DeviceAuthenticator authenticator,
                           DevicePresence presence, AuditLog audit, MeterRegistry metrics, ExecutorService blocking,
                           Duration channelTimeout) {
    public CiraServices {
        Objects.requireNonNull(gateway);
        Objects.requireNonNull(session);
        Objects.requireNonNull(authenticator);
        Objects.requireNonNull(presence);
        Objects.requireNonNull(audit);
        Objects.requireNonNull(metrics);
        Objects.requireNonNull(blocking);
        Objects.requireNonNull(channelTimeout);
    }
}
