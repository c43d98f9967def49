package org.amtbus.provisioning.profile;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.amtbus.wsman.activation.CiraConfiguration;
import org.amtbus.wsman.activation.MpsServer;
import org.amtbus.wsman.activation.RemoteAccessPolicy;
import org.amtbus.wsman.digest.Password;

/**
 * Where and how a device dials for CIRA: the MPS (our CIRA gateway) address and port, the name its
 * certificate carries (default the address), the CA the device must trust for it (empty = the node CA),
 * the periodic policy (stay connected, redial every {@code periodicSeconds}; 0 = no periodic rule) and
 * whether user-initiated connections (BIOS/OS) are allowed. Invariant: at least one of the two rules.
 */
public record CiraPolicy(String mpsAddress, int mpsPort, Optional<String> mpsCommonName,
                         Optional<X509Certificate> mpsRoot, int periodicSeconds, boolean userInitiated) {

    /** RPS's periodic interval. */
    public static final int DEFAULT_PERIODIC_SECONDS = CiraConfiguration.PERIODIC_SECONDS;
    /** Our CIRA listener's default port. */
    public static final int DEFAULT_PORT = 4433;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,253}[A-Za-z0-9])?|[0-9A-Fa-f:]{2,39}");

    public CiraPolicy {
        if (mpsAddress == null || !HOST.matcher(mpsAddress).matches()) {
            throw new IllegalArgumentException("the MPS address must be a host name or an IP address");
        }
        if (mpsPort < 1 || mpsPort > 65535) {
            throw new IllegalArgumentException("the MPS port must be 1-65535");
        }
        Objects.requireNonNull(mpsCommonName, "mpsCommonName");
        Objects.requireNonNull(mpsRoot, "mpsRoot");
        if (mpsCommonName.isPresent() && !HOST.matcher(mpsCommonName.get()).matches()) {
            throw new IllegalArgumentException("the MPS common name must be a host name or an IP address");
        }
        if (periodicSeconds < 0 || periodicSeconds > 86_400) {
            throw new IllegalArgumentException("the periodic interval must be 0-86400 s");
        }
        if (periodicSeconds == 0 && !userInitiated) {
            throw new IllegalArgumentException("a CIRA policy needs a periodic rule or user-initiated connections");
        }
    }

    /** RPS's rules against our gateway: periodic every 25 s and user-initiated, trusting the node CA. */
    public static CiraPolicy defaults(String mpsAddress, int mpsPort) {
        return new CiraPolicy(mpsAddress, mpsPort, Optional.empty(), Optional.empty(), DEFAULT_PERIODIC_SECONDS, true);
    }

    /** AddMpServer's InfoFormat for the address: 3 IPv4, 4 IPv6, 201 FQDN. */
    public int infoFormat() {
        if (IPV4.matcher(mpsAddress).matches()) {
            return MpsServer.IPV4;
        }
        return mpsAddress.indexOf(':') >= 0 ? MpsServer.IPV6 : MpsServer.FQDN;
    }

    /** What {@code configureCira} sends for a device logging in as {@code username} with {@code password}. */
    public CiraConfiguration configuration(X509Certificate nodeCa, String username, Password password) {
        MpsServer server = new MpsServer(mpsAddress, infoFormat(), mpsPort, username, password, mpsCommonName.orElse(mpsAddress));
        List<RemoteAccessPolicy> rules = new ArrayList<>();
        if (periodicSeconds > 0) {
            rules.add(RemoteAccessPolicy.periodic(periodicSeconds));
        }
        if (userInitiated) {
            rules.add(RemoteAccessPolicy.userInitiated());
        }
        // a domain that never resolves: the device never believes it is inside and always uses CIRA (RPS)
        return new CiraConfiguration(mpsRoot.orElse(nodeCa), server, rules, List.of(UUID.randomUUID() + ".com"));
    }
}
