package org.amtbus.schemas.agent;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What an agent reports about its machine on {@code .../agent/report} when it connects (as Open AMT's RPC
 * does before activation): the DNS suffix the OS sees (selects the ACM domain), firmware's trusted
 * provisioning root hashes (hex), the host name, AMT's version and its provisioning state (0 pre, 1 in,
 * 2 post) and control mode (0 none, 1 client, 2 admin), and the session's X25519 public key that relayed frames are
 * sealed to ({@link FrameCipher}). Not secret.
 */
public record AgentReport(String dnsSuffix, List<String> trustedRootHashes, String hostName, String amtVersion,
                          int provisioningState, int controlMode, String publicKey, Instant sentAt) {

    public AgentReport {
        Objects.requireNonNull(dnsSuffix, "dnsSuffix");
        trustedRootHashes = trustedRootHashes == null ? List.of() : List.copyOf(trustedRootHashes);
        hostName = hostName == null ? "" : hostName;
        amtVersion = amtVersion == null ? "" : amtVersion;
        Objects.requireNonNull(sentAt, "sentAt");
        if (publicKey == null || publicKey.isEmpty() || publicKey.length() > 256) {
            throw new IllegalArgumentException("publicKey is required (base64 X25519, at most 256 characters)");
        }
        if (trustedRootHashes.size() > 64) {
            throw new IllegalArgumentException("at most 64 trusted root hashes");
        }
        if (provisioningState < 0 || provisioningState > 2 || controlMode < 0 || controlMode > 2) {
            throw new IllegalArgumentException("provisioningState and controlMode are 0-2");
        }
    }
}
