package org.amtbus.sim.amt;

import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.amtbus.wsman.digest.Password;

/**
 * The CIRA configuration a simulated device was given: trusted roots ({@code AddTrustedRootCertificate}),
 * MPS entries ({@code AddMpServer}, one {@code AMT_ManagementPresenceRemoteSAP} each), policy rules (one per
 * trigger; a new rule for a trigger replaces the old), their MpsType/OrderOfAccess, the user-initiated
 * connection state and the environment-detection strings. Guarded by the device's monitor.
 */
final class CiraProvisioning {
    static final int USER_INITIATED_ALL_DISABLED = 32768;
    static final int USER_INITIATED_BIOS_AND_OS = 32771;

    /** One MPS; {@link #toString()} hides the password. */
    record MpServer(String name, String address, int infoFormat, int port, String username, Password password,
                    String commonName) {
        @Override
        public String toString() {
            return "MpServer[" + name + ", " + address + ":" + port + ", username=" + username + ", password=[hidden]]";
        }
    }

    record PolicyRule(String name, int trigger, int tunnelLifetime, String extendedData, String sapName, int mpsType,
                      int orderOfAccess) {
        PolicyRule applied(int newMpsType, int newOrderOfAccess) {
            return new PolicyRule(name, trigger, tunnelLifetime, extendedData, sapName, newMpsType, newOrderOfAccess);
        }
    }

    final List<X509Certificate> trustedRoots = new ArrayList<>();
    final List<MpServer> servers = new ArrayList<>();
    final List<PolicyRule> rules = new ArrayList<>();
    int userInitiatedState = USER_INITIATED_ALL_DISABLED;
    List<String> detectionStrings = List.of();
    int detectionAlgorithm;

    static String ruleName(int trigger) {
        return switch (trigger) {
            case 0 -> "User Initiated";
            case 1 -> "Alert";
            case 2 -> "Periodic";
            default -> "Home Provisioning";
        };
    }

    Optional<MpServer> server(String name) {
        return servers.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    String nextServerName() {
        return "Intel(r) AMT:Management Presence Server " + servers.size();
    }

    void addRule(PolicyRule rule) {
        rules.removeIf(r -> r.trigger() == rule.trigger());
        rules.add(rule);
    }

    /** The MPS of the periodic rule (else of any rule), as the device would dial it. */
    Optional<CiraSettings> settings() {
        Optional<PolicyRule> periodic = rules.stream().filter(r -> r.trigger() == 2).findFirst();
        Optional<PolicyRule> chosen = periodic.or(() -> rules.stream().findFirst());
        Optional<MpServer> mps = chosen.flatMap(r -> server(r.sapName()));
        return mps.map(s -> new CiraSettings(s.address(), s.infoFormat(), s.port(), s.commonName(), s.username(),
                s.password(), trustedRoots, periodic.map(r -> intervalSeconds(r.extendedData())).orElse(0),
                userInitiatedState == USER_INITIATED_BIOS_AND_OS, detectionStrings));
    }

    /** The second big-endian u32 of a periodic rule's ExtendedData, or 0. */
    static int intervalSeconds(String extendedData) {
        byte[] raw = Base64.getDecoder().decode(extendedData);
        return raw.length == 8 ? ByteBuffer.wrap(raw).getInt(4) : 0;
    }

    /** Forgets everything, destroying the stored passwords. */
    void clear() {
        servers.forEach(s -> s.password().destroy());
        servers.clear();
        trustedRoots.clear();
        rules.clear();
        userInitiatedState = USER_INITIATED_ALL_DISABLED;
        detectionStrings = List.of();
        detectionAlgorithm = 0;
    }
}
