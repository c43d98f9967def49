package org.amtbus.acl.login;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * The key a login failure is counted under for per-address lockout: an IPv4 address as it is, an IPv6
 * address by its /64 prefix (one subscriber usually holds a whole /64, so counting single IPv6
 * addresses would give an attacker 2^64 fresh starts).
 *
 * @param key     what the throttle counts under, e.g. {@code 203.0.113.7} or {@code 2001:db8:0:1::/64}
 * @param address the peer address as seen, for the audit trail
 */
public record SourceAddress(String key, String address) {

    public SourceAddress {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(address, "address");
    }

    public static SourceAddress of(InetAddress peer) {
        Objects.requireNonNull(peer, "peer");
        String address = peer.getHostAddress();
        int zone = address.indexOf('%');
        if (zone >= 0) {
            address = address.substring(0, zone);
        }
        if (peer instanceof Inet6Address v6) {
            byte[] prefix = Arrays.copyOf(v6.getAddress(), 16);
            Arrays.fill(prefix, 8, 16, (byte) 0);
            try {
                return new SourceAddress(InetAddress.getByAddress(prefix).getHostAddress() + "/64", address);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException("16 bytes are an IPv6 address", e);
            }
        }
        return new SourceAddress(address, address);
    }
}
