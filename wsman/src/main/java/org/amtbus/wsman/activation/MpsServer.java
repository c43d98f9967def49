package org.amtbus.wsman.activation;

import java.util.Objects;
import org.amtbus.wsman.digest.Password;

/**
 * The input of {@code AMT_RemoteAccessService.AddMpServer}: where the device dials for CIRA and how it
 * logs in. {@code infoFormat} 3 IPv4, 4 IPv6, 201 FQDN; {@code commonName} is the name the MPS certificate
 * must carry (needed with an IP address, the FQDN otherwise). Authentication is always AuthMethod 2
 * (username and password); RPS supports no other. {@link #toString()} hides the password.
 */
public record MpsServer(String address, int infoFormat, int port, String username, Password password, String commonName) {
    public static final int IPV4 = 3;
    public static final int IPV6 = 4;
    public static final int FQDN = 201;
    public static final int AUTH_USERNAME_PASSWORD = 2;

    public MpsServer {
        if (address == null || address.isEmpty() || address.length() > 255) {
            throw new IllegalArgumentException("address must have 1 to 255 characters");
        }
        if (infoFormat != IPV4 && infoFormat != IPV6 && infoFormat != FQDN) {
            throw new IllegalArgumentException("infoFormat must be 3 (IPv4), 4 (IPv6) or 201 (FQDN)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535");
        }
        if (username == null || username.isEmpty() || username.length() > 16) {
            throw new IllegalArgumentException("username must have 1 to 16 characters (AMT's limit)");
        }
        Objects.requireNonNull(password, "password");
        commonName = commonName == null || commonName.isEmpty() ? address : commonName;
    }

    @Override
    public String toString() {
        return "MpsServer[address=" + address + ", infoFormat=" + infoFormat + ", port=" + port + ", username=" + username
                + ", password=[hidden], commonName=" + commonName + "]";
    }
}
