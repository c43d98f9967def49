package org.amtbus.provisioning.profile;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The AMT wired interface's IPv4 settings: DHCP, or a static address with prefix length, gateway and DNS
 * servers. Invariant: DHCP carries no address; static carries an address and a prefix length 1-32.
 */
public record NetworkSettings(Mode mode, Optional<String> address, int prefixLength, Optional<String> gateway,
                              List<String> dnsServers) {

    public enum Mode { DHCP, STATIC }

    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    public static final int MAX_DNS_SERVERS = 4;

    public NetworkSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(gateway, "gateway");
        dnsServers = List.copyOf(dnsServers);
        if (mode == Mode.DHCP && (address.isPresent() || gateway.isPresent() || prefixLength != 0 || !dnsServers.isEmpty())) {
            throw new IllegalArgumentException("DHCP takes no address, prefix, gateway or DNS servers");
        }
        if (mode == Mode.STATIC) {
            if (address.isEmpty() || !IPV4.matcher(address.get()).matches()) {
                throw new IllegalArgumentException("a static network needs an IPv4 address");
            }
            if (prefixLength < 1 || prefixLength > 32) {
                throw new IllegalArgumentException("a static network needs a prefix length 1-32");
            }
            if (gateway.isPresent() && !IPV4.matcher(gateway.get()).matches()) {
                throw new IllegalArgumentException("the gateway must be an IPv4 address");
            }
            if (dnsServers.size() > MAX_DNS_SERVERS || !dnsServers.stream().allMatch(d -> IPV4.matcher(d).matches())) {
                throw new IllegalArgumentException("at most " + MAX_DNS_SERVERS + " DNS servers, each an IPv4 address");
            }
        }
    }

    /** What {@code AMT_EthernetPortSettings} of the wired port is told. */
    public org.amtbus.wsman.activation.WiredNetwork wired() {
        return mode == Mode.DHCP ? org.amtbus.wsman.activation.WiredNetwork.dhcpNetwork()
                : org.amtbus.wsman.activation.WiredNetwork.staticNetwork(address.orElseThrow(), prefixLength, gateway, dnsServers);
    }

    public static NetworkSettings dhcp() {
        return new NetworkSettings(Mode.DHCP, Optional.empty(), 0, Optional.empty(), List.of());
    }

    public static NetworkSettings staticAddress(String address, int prefixLength, String gateway, List<String> dnsServers) {
        return new NetworkSettings(Mode.STATIC, Optional.of(address), prefixLength, Optional.ofNullable(gateway), dnsServers);
    }
}
