package org.amtbus.app;

import java.time.Instant;
import java.util.UUID;
import org.amtbus.platform.device.DeviceRegistry;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.ProvisioningRequest;
import org.amtbus.schemas.model.TenantId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code amtbus deprovision}: asks for a managed device to be deactivated (AMT unprovisioned over CIRA or through
 * its agent, then its registration and secrets removed), as if published over MQTT ({@link ProvisioningRequestCommand}).
 */
@Command(name = "deprovision", mixinStandardHelpOptions = true,
        description = "Ask the provisioning worker to deactivate a managed device (as if published over MQTT).")
final class DeprovisionCommand extends ProvisioningRequestCommand {

    @Option(names = "--tenant", description = "default: the device's tenant") String tenant;

    @Override
    String tenantOption() {
        return tenant;
    }

    @Override
    ProvisioningRequest request(UUID id, TenantId tenantId, DeviceGuid device, Instant time) {
        return ProvisioningRequest.deactivation(id, tenantId, device, time);
    }

    @Override
    TenantId defaultTenant(NodeConnection node, DeviceGuid device) {
        return new DeviceRegistry(node.database.dataSource()).find(device).map(d -> d.tenant()).orElseThrow(
                () -> new StartupException(StartupException.CONFIGURATION, "no device " + device.value() + " is registered"));
    }
}
