package org.amtbus.wsman.activation;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code AMT_EthernetPortSettings} (the wired port, instance {@value #WIRED_INSTANCE}) is told: DHCP (AMT
 * shares the host's address, IpSyncEnabled), or a static IPv4 address of its own with subnet mask, default
 * gateway and up to two DNS servers (SharedStaticIp off). Addresses are dotted IPv4 text, checked by the caller.
 */
public record WiredNetwork(boolean dhcp, Optional<String> address, Optional<String> subnetMask, Optional<String> gateway,
                           List<String> dnsServers) {

    public static final String WIRED_INSTANCE = "Intel(r) AMT Ethernet Port Settings 0";

    public WiredNetwork {
        Objects.requireNonNull(address);
        Objects.requireNonNull(subnetMask);
        Objects.requireNonNull(gateway);
        dnsServers = List.copyOf(dnsServers);
        if (dhcp != address.isEmpty() || address.isPresent() != subnetMask.isPresent()) {
            throw new IllegalArgumentException("DHCP has no address; a static address needs a subnet mask");
        }
    }

    public static WiredNetwork dhcpNetwork() {
        return new WiredNetwork(true, Optional.empty(), Optional.empty(), Optional.empty(), List.of());
    }

    /** A static address with a prefix length 1-32 (turned into the subnet mask AMT wants). */
    public static WiredNetwork staticNetwork(String address, int prefixLength, Optional<String> gateway, List<String> dnsServers) {
        if (prefixLength < 1 || prefixLength > 32) {
            throw new IllegalArgumentException("the prefix length must be 1-32");
        }
        long mask = 0xFFFFFFFFL << (32 - prefixLength) & 0xFFFFFFFFL;
        String dotted = (mask >> 24 & 255) + "." + (mask >> 16 & 255) + "." + (mask >> 8 & 255) + "." + (mask & 255);
        return new WiredNetwork(false, Optional.of(address), Optional.of(dotted), gateway, dnsServers);
    }
}
