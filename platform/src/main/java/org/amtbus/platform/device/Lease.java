package org.amtbus.platform.device;

import java.time.Instant;
import java.util.UUID;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.GatewayId;
import org.amtbus.schemas.model.TenantId;

/** A gateway's hold on a device through one connection. */
public record Lease(DeviceGuid guid, TenantId tenant, GatewayId gatewayId, UUID connectionId, Instant claimedAt) {
}
