package org.amtbus.broker;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.amtbus.platform.tls.TlsProviderChoice;

/**
 * The broker's settings, validated on construction.
 *
 * @param host             address of the MQTT-over-TLS listener ({@code broker.mqtt.host})
 * @param port             its port, 0 for a random one ({@code broker.mqtt.port})
 * @param plainHost        address of the optional plain listener; must be loopback ({@code broker.plain.host})
 * @param plainPort        plain MQTT port, empty = off ({@code broker.plain.port})
 * @param maxMessageBytes  largest MQTT packet accepted ({@code broker.maxMessageBytes})
 * @param connectTimeout   how long a new connection may stay silent before CONNECT ({@code broker.connectTimeout})
 * @param dataDir          session and queue store
 * @param sessionExpiry    how long a persistent session survives its client being away ({@code broker.sessionExpiry})
 * @param sessionQueueSize commands each of Moquette's session event loops (one per core) can queue
 *                         ({@code broker.sessionQueueSize}); input is held once a queue is a third full (two cores)
 * @param tlsProvider      BoringSSL or the JDK's TLS for the MQTT-over-TLS listener ({@code broker.tlsProvider})
 */
public record BrokerConfig(InetAddress host, int port, InetAddress plainHost, Optional<Integer> plainPort,
                           int maxMessageBytes, Duration connectTimeout, Path dataDir, Duration sessionExpiry,
                           int sessionQueueSize, TlsProviderChoice tlsProvider) {

    public static final int DEFAULT_PORT = 8883;
    /** Commands are small JSON documents; 64 KiB is generous and bounds what one packet can cost us. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;
    public static final int MIN_MAX_MESSAGE_BYTES = 1024;
    public static final int MAX_MAX_MESSAGE_BYTES = 1024 * 1024;
    /** Short: a connection that says nothing is either broken or a slow-loris attempt. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_SESSION_EXPIRY = Duration.ofDays(1);
    public static final int DEFAULT_SESSION_QUEUE_SIZE = 1024;
    /** Below this the intake gates' high mark leaves too little headroom for messages already in flight. */
    public static final int MIN_SESSION_QUEUE_SIZE = 64;

    public BrokerConfig {
        Objects.requireNonNull(host, "broker.mqtt.host");
        Objects.requireNonNull(plainHost, "broker.plain.host");
        Objects.requireNonNull(plainPort, "broker.plain.port");
        Objects.requireNonNull(connectTimeout, "broker.connectTimeout");
        Objects.requireNonNull(dataDir, "broker data directory");
        Objects.requireNonNull(sessionExpiry, "broker.sessionExpiry");
        Objects.requireNonNull(tlsProvider, "broker.tlsProvider");
        requirePort(port, "broker.mqtt.port");
        plainPort.ifPresent(p -> requirePort(p, "broker.plain.port"));
        if (plainPort.isPresent() && !plainHost.isLoopbackAddress()) {
            throw new IllegalArgumentException("broker.plain.host: plain MQTT may only listen on a loopback address, not "
                    + plainHost.getHostAddress());
        }
        if (maxMessageBytes < MIN_MAX_MESSAGE_BYTES || maxMessageBytes > MAX_MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("broker.maxMessageBytes: " + maxMessageBytes + " is not in "
                    + MIN_MAX_MESSAGE_BYTES + "-" + MAX_MAX_MESSAGE_BYTES);
        }
        if (connectTimeout.toSeconds() < 1 || connectTimeout.toSeconds() > 300) {
            throw new IllegalArgumentException("broker.connectTimeout: must be 1s-300s");
        }
        if (sessionExpiry.toHours() < 1) {
            throw new IllegalArgumentException("broker.sessionExpiry: must be at least 1h");
        }
        if (sessionQueueSize < MIN_SESSION_QUEUE_SIZE || sessionQueueSize > 1_000_000) {
            throw new IllegalArgumentException("broker.sessionQueueSize: must be " + MIN_SESSION_QUEUE_SIZE + "-1000000");
        }
    }

    /** The embedded defaults: TLS on all interfaces at 8883, no plain listener. */
    public static BrokerConfig defaults(Path dataDir) {
        return new BrokerConfig(anyAddress(), DEFAULT_PORT, InetAddress.getLoopbackAddress(), Optional.empty(),
                DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_CONNECT_TIMEOUT, dataDir, DEFAULT_SESSION_EXPIRY,
                DEFAULT_SESSION_QUEUE_SIZE, TlsProviderChoice.AUTO);
    }



    private static void requirePort(int port, String name) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + ": " + port + " is not a port (0-65535)");
        }
    }

    private static InetAddress anyAddress() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
