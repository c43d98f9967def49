package org.amtbus.provisioning.profile;

import java.util.List;
import java.util.Optional;
import org.amtbus.schemas.model.TenantId;

/**
 * A profile as JSON: the admin API's answers and {@code amtbus profile show}. {@link Body} is what a client
 * sends to create or replace one (its tenant and name are in the path). Holds no secret (a profile has none).
 */
public record ProfileDocument(String name, String tenant, String controlMode, Cira cira, String userConsent, Network network,
                              List<String> tags) {

    /** The CIRA part; {@code mpsRootPem} absent means the node CA. */
    public record Cira(String mpsAddress, Integer mpsPort, String mpsCommonName, String mpsRootPem, Integer periodicSeconds,
                       Boolean userInitiated) {
    }

    /** {@code mode} {@code dhcp} or {@code static} (with address, prefixLength, gateway, dnsServers). */
    public record Network(String mode, String address, Integer prefixLength, String gateway, List<String> dnsServers) {
    }

    /**
     * A profile as a client sends it. Defaults: port {@value CiraPolicy#DEFAULT_PORT}, periodic
     * {@value CiraPolicy#DEFAULT_PERIODIC_SECONDS} s, user-initiated on, consent {@code all}, DHCP, no tags.
     */
    public record Body(String controlMode, Cira cira, String userConsent, Network network, List<String> tags) {

        /** @throws IllegalArgumentException naming the field and the rule, never echoing a value */
        public Profile toProfile(TenantId tenant, String name) {
            if (controlMode == null) {
                throw new IllegalArgumentException("field 'controlMode' is required (acm or ccm)");
            }
            if (cira == null || cira.mpsAddress() == null) {
                throw new IllegalArgumentException("field 'cira.mpsAddress' is required");
            }
            CiraPolicy policy = new CiraPolicy(cira.mpsAddress(), cira.mpsPort() == null ? CiraPolicy.DEFAULT_PORT : cira.mpsPort(),
                    Optional.ofNullable(cira.mpsCommonName()),
                    Optional.ofNullable(cira.mpsRootPem()).map(Certificates::fromPem),
                    cira.periodicSeconds() == null ? CiraPolicy.DEFAULT_PERIODIC_SECONDS : cira.periodicSeconds(),
                    cira.userInitiated() == null || cira.userInitiated());
            NetworkSettings net = network == null || "dhcp".equals(network.mode()) && network.address() == null
                    && network.prefixLength() == null && network.gateway() == null
                    && (network.dnsServers() == null || network.dnsServers().isEmpty()) ? NetworkSettings.dhcp() : network(network);
            return new Profile(name, tenant, ControlMode.of(controlMode), policy,
                    userConsent == null ? UserConsent.ALL : UserConsent.of(userConsent), net, tags == null ? List.of() : tags);
        }

        private static NetworkSettings network(Network n) {
            if (!"static".equals(n.mode())) {
                throw new IllegalArgumentException("field 'network.mode' must be dhcp (alone) or static");
            }
            if (n.address() == null || n.prefixLength() == null) {
                throw new IllegalArgumentException("a static network needs an IPv4 address and a prefix length");
            }
            return NetworkSettings.staticAddress(n.address(), n.prefixLength() == null ? 0 : n.prefixLength(), n.gateway(),
                    n.dnsServers() == null ? List.of() : n.dnsServers());
        }
    }

    public static ProfileDocument of(Profile p) {
        CiraPolicy c = p.cira();
        NetworkSettings n = p.network();
        return new ProfileDocument(p.name(), p.tenant().value(), p.controlMode().wireName(),
                new Cira(c.mpsAddress(), c.mpsPort(), c.mpsCommonName().orElse(null), c.mpsRoot().map(Certificates::toPem).orElse(null),
                        c.periodicSeconds(), c.userInitiated()),
                p.userConsent().wireName(),
                n.mode() == NetworkSettings.Mode.DHCP ? new Network("dhcp", null, null, null, List.of())
                        : new Network("static", n.address().orElseThrow(), n.prefixLength(), n.gateway().orElse(null), n.dnsServers()),
                p.tags());
    }
}
