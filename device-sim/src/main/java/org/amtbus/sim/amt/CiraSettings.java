package org.amtbus.sim.amt;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import org.amtbus.wsman.digest.Password;

/**
 * What a simulated device was told by CIRA configuration and would dial with: the MPS address
 * ({@code infoFormat} 3 IPv4, 4 IPv6, 201 FQDN), port, the name its certificate must carry, the CIRA user
 * name and password, the trusted roots for that TLS connection, the periodic reconnect interval (0 when
 * there is no periodic rule), whether user-initiated connections are on, and the environment-detection
 * strings. {@link #toString()} hides the password.
 */
public record CiraSettings(String mpsAddress, int infoFormat, int port, String commonName, String username,
                           Password password, List<X509Certificate> trustedRoots, int periodicIntervalSeconds,
                           boolean userInitiatedEnabled, List<String> detectionStrings) {
    public CiraSettings {
        Objects.requireNonNull(mpsAddress, "mpsAddress");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        trustedRoots = List.copyOf(trustedRoots);
        detectionStrings = List.copyOf(detectionStrings);
    }

    @Override
    public String toString() {
        return "CiraSettings[mps=" + mpsAddress + ":" + port + ", infoFormat=" + infoFormat + ", cn=" + commonName
                + ", username=" + username + ", password=[hidden], trustedRoots=" + trustedRoots.size()
                + ", periodic=" + periodicIntervalSeconds + "s, userInitiated=" + userInitiatedEnabled
                + ", detectionStrings=" + detectionStrings + "]";
    }
}
