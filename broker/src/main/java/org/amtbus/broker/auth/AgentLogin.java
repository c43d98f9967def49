package org.amtbus.broker.auth;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.amtbus.acl.account.Account;
import org.amtbus.acl.account.AccountName;
import org.amtbus.schemas.agent.AgentName;
import org.amtbus.acl.enrollment.EnrollmentTokens;
import org.amtbus.acl.level.Access;
import org.amtbus.acl.level.AclLevel;
import org.amtbus.acl.level.AclPolicy;
import org.amtbus.acl.level.Grant;
import org.amtbus.schemas.agent.AgentTopic;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;

/**
 * The login of a device's agent: user name {@code agent-<guid>}, password a one-time enrollment token for that
 * device ({@link EnrollmentTokens}). The access it gets is fixed, not read from grants: publish the device's
 * {@code agent/report} and {@code agent/wsman/responses}, subscribe to its {@code agent/wsman/requests}, nothing
 * else (no other device, no wildcard above the device).
 *
 * <p>Blocking (redeeming the token is one JDBC round trip): called where the broker checks credentials.
 */
public final class AgentLogin {

    private final EnrollmentTokens tokens;
    private final Clock clock;

    public AgentLogin(EnrollmentTokens tokens, Clock clock) {
        this.tokens = Objects.requireNonNull(tokens);
        this.clock = Objects.requireNonNull(clock);
    }

    /** The agent's access when {@code token} is a valid, unused, unexpired token for the device it names. */
    Optional<Access> login(String username, byte[] token, String clientId) {
        Optional<DeviceGuid> guid = AgentName.guidOf(username);
        if (guid.isEmpty() || token == null) {
            return Optional.empty();
        }
        EnrollmentTokens.Redemption redemption = tokens.redeem(guid.get(), token, clientId);
        return redemption.tenant().map(tenant -> access(tenant, guid.get()));
    }

    /** What an agent of {@code guid} in {@code tenant} may do on the broker. */
    public Access access(TenantId tenant, DeviceGuid guid) {
        Account account = new Account(new AccountName(AgentName.of(guid)), Account.Kind.SERVICE, false, clock.instant(),
                Optional.of(tenant));
        return new Access(account, AclPolicy.of(List.of(
                Grant.of(new AgentTopic(tenant, guid, AgentTopic.Kind.REPORT).name(), AclLevel.PUBLISH),
                Grant.of(new AgentTopic(tenant, guid, AgentTopic.Kind.RESPONSES).name(), AclLevel.PUBLISH),
                Grant.of(new AgentTopic(tenant, guid, AgentTopic.Kind.REQUESTS).name(), AclLevel.SUBSCRIBE))));
    }
}
