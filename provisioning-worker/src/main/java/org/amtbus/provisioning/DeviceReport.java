package org.amtbus.provisioning;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.amtbus.provisioning.profile.Domain;

/**
 * What the agent on the machine reports before activation (as Open AMT's RPC does): the DNS suffix the
 * OS sees, which selects the ACM domain, and firmware's trusted provisioning root hashes (hex SHA-256,
 * SHA-1 or SHA-384). Not secret. Invariant: the suffix is normalized (lowercase, no trailing dot) and
 * every hash is lowercase hex of a known length.
 */
public record DeviceReport(String dnsSuffix, Set<String> trustedRootHashes) {

    public DeviceReport {
        dnsSuffix = Domain.normalizeSuffix(dnsSuffix);
        trustedRootHashes = trustedRootHashes.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        for (String h : trustedRootHashes) {
            if (!h.matches("[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{96}")) {
                throw new IllegalArgumentException("a trusted root hash is SHA-1, SHA-256 or SHA-384 in hex");
            }
        }
    }
}
