package org.amtbus.wsman.activation;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * Everything {@link ActivationSteps#configureCira} sends: the MPS's root certificate (trusted for the
 * TLS connection), the MPS, the policy rules (RPS: periodic every 25 s and user-initiated) and the
 * environment-detection strings (a domain that never resolves, so the device always thinks it is
 * outside and uses CIRA). Invariant: at least one rule and one detection string.
 */
public record CiraConfiguration(X509Certificate mpsRootCertificate, MpsServer server, List<RemoteAccessPolicy> policies,
                                List<String> detectionStrings) {
    /** RPS's periodic interval. */
    public static final int PERIODIC_SECONDS = 25;

    public CiraConfiguration {
        Objects.requireNonNull(mpsRootCertificate, "mpsRootCertificate");
        Objects.requireNonNull(server, "server");
        policies = List.copyOf(policies);
        detectionStrings = List.copyOf(detectionStrings);
        if (policies.isEmpty() || detectionStrings.isEmpty()) {
            throw new IllegalArgumentException("at least one policy rule and one detection string");
        }
    }

    /** RPS's choice: periodic (25 s) and user-initiated rules, detection string {@code <random uuid>.com}. */
    public static CiraConfiguration rpsDefaults(X509Certificate mpsRootCertificate, MpsServer server) {
        return new CiraConfiguration(mpsRootCertificate, server,
                List.of(RemoteAccessPolicy.periodic(PERIODIC_SECONDS), RemoteAccessPolicy.userInitiated()),
                List.of(java.util.UUID.randomUUID() + ".com"));
    }
}
