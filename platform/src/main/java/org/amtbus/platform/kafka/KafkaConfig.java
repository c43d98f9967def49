package org.amtbus.platform.kafka;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How this node's Kafka clients reach the cluster. Validated on construction.
 *
 * <p>Settings (once the config package lands): {@code kafka.bootstrapServers},
 * {@code kafka.clientIdPrefix}; in embedded mode the bootstrap servers come from
 * {@link EmbeddedKafka#bootstrapServers()}. TLS and SASL for a shared cluster will be one more
 * component here (a security record built by the tls/secret packages), applied in
 * {@link KafkaClients#common}.
 *
 * @param bootstrapServers comma-separated {@code host:port} list
 * @param clientIdPrefix   prefix of every {@code client.id} (shows in broker logs and metrics), e.g. the node name
 * @param tlsCaFile        PEM file of the CA that signed the brokers' certificates; present = TLS 1.3 with
 *                         host name verification, absent = plaintext (allowed only for loopback brokers)
 */
public record KafkaConfig(String bootstrapServers, String clientIdPrefix, java.util.Optional<java.nio.file.Path> tlsCaFile) {

    public static final String DEFAULT_CLIENT_ID_PREFIX = "amtbus";

    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9._\\-]+:\\d{1,5}|\\[[0-9a-fA-F:]+]:\\d{1,5}");
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._\\-]{1,64}");

    public KafkaConfig {
        Objects.requireNonNull(tlsCaFile, "kafka.tls.caFile");
        Objects.requireNonNull(bootstrapServers, "kafka.bootstrapServers is required");
        List<String> servers = Arrays.stream(bootstrapServers.split(",")).map(String::strip).toList();
        if (servers.isEmpty() || servers.stream().anyMatch(s -> !HOST_PORT.matcher(s).matches())) {
            throw new IllegalArgumentException(
                    "kafka.bootstrapServers must be a comma-separated host:port list, was " + bootstrapServers);
        }
        bootstrapServers = String.join(",", servers);
        if (tlsCaFile.isEmpty() && !servers.stream().allMatch(KafkaConfig::isLoopback)) {
            throw new IllegalArgumentException("kafka.tls.caFile is required: Kafka beyond loopback is reached over TLS only");
        }
        Objects.requireNonNull(clientIdPrefix, "kafka.clientIdPrefix is required");
        if (!CLIENT_ID.matcher(clientIdPrefix).matches()) {
            throw new IllegalArgumentException(
                    "kafka.clientIdPrefix must match " + CLIENT_ID.pattern() + ", was " + clientIdPrefix);
        }
    }

    public KafkaConfig(String bootstrapServers, String clientIdPrefix) {
        this(bootstrapServers, clientIdPrefix, java.util.Optional.empty());
    }

    public static KafkaConfig of(String bootstrapServers) {
        return new KafkaConfig(bootstrapServers, DEFAULT_CLIENT_ID_PREFIX);
    }

    private static boolean isLoopback(String hostPort) {
        String host = hostPort.substring(0, hostPort.lastIndexOf(':')).replace("[", "").replace("]", "");
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }
}
