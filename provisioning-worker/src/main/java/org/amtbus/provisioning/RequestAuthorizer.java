package org.amtbus.provisioning;

import java.util.Objects;
import java.util.Optional;
import org.amtbus.acl.account.AccountName;
import org.amtbus.acl.level.Access;
import org.amtbus.acl.level.AccessLoader;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.MqttTopic;

/**
 * Defense in depth for provisioning requests: may this principal ask for provisioning in this tenant? The rule
 * the broker enforced on PUBLISH (level 2 or 3 on {@code amtbus/v1/{tenant}/provisioning/requests}), checked
 * again with the account's grants as they are now, for every request, including those written to Kafka without
 * the broker (which carry no principal and are refused). Blocking (PostgreSQL); requests are rare, so no cache.
 */
public final class RequestAuthorizer {

    private final AccessLoader access;

    public RequestAuthorizer(AccessLoader access) {
        this.access = Objects.requireNonNull(access);
    }

    /** Null when allowed, else why not (names the principal and tenant, nothing secret). */
    public String refusal(TenantId tenant, Optional<String> principal) {
        if (principal.isEmpty() || principal.get().isEmpty()) {
            return "the request carries no principal (it did not come through the broker)";
        }
        Optional<Access> account;
        try {
            account = access.load(new AccountName(principal.get()));
        } catch (IllegalArgumentException e) {
            return "the principal is not a valid account name";
        }
        if (account.isEmpty()) {
            return "principal " + principal.get() + " is not an account";
        }
        return account.get().policy().canPublish(new MqttTopic.ProvisioningRequestsTopic(tenant).name()) ? null
                : "principal " + principal.get() + " may not publish provisioning requests for tenant " + tenant.value();
    }
}
