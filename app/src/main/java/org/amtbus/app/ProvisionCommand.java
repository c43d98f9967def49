package org.amtbus.app;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.amtbus.provisioning.profile.Profile;
import org.amtbus.provisioning.profile.ProfileStore;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.ProvisioningRequest;
import org.amtbus.schemas.model.TenantId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code amtbus provision}: asks for a profile to be applied to a device, as if published over MQTT
 * ({@link ProvisioningRequestCommand}).
 */
@Command(name = "provision", mixinStandardHelpOptions = true,
        description = "Ask the provisioning worker to apply a profile to a device (as if published over MQTT).")
final class ProvisionCommand extends ProvisioningRequestCommand {

    @Option(names = "--profile", required = true) String profile;
    @Option(names = "--tenant", description = "default: the tenant of the only profile with that name") String tenant;

    @Override
    String tenantOption() {
        return tenant;
    }

    @Override
    ProvisioningRequest request(UUID id, TenantId tenantId, DeviceGuid device, Instant time) {
        return new ProvisioningRequest(id, tenantId, device, profile, time);
    }

    @Override
    TenantId defaultTenant(NodeConnection node, DeviceGuid device) {
        List<TenantId> tenants = new ProfileStore(node.database.dataSource()).list(Optional.empty()).stream()
                .filter(p -> p.name().equals(profile)).map(Profile::tenant).distinct().toList();
        if (tenants.size() != 1) {
            throw new StartupException(StartupException.CONFIGURATION, tenants.isEmpty() ? "no tenant has a profile " + profile
                    : "profile " + profile + " exists in tenants " + tenants + "; give --tenant");
        }
        return tenants.getFirst();
    }
}
