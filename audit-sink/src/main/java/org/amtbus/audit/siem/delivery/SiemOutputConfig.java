package org.amtbus.audit.siem.delivery;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.amtbus.audit.siem.delivery.SiemFormat.Carrier;
import org.amtbus.platform.secret.SecretName;

/**
 * One SIEM output's settings, validated on construction. Holds no secret: the HTTPS token is a
 * {@link SecretName} in the secret store. Exactly one destination is set, the one its carrier needs.
 *
 * @param name              {@code [a-z][a-z0-9-]{0,31}}; names the spool directory and the thread
 * @param host              syslog receiver (SYSLOG_TLS)
 * @param port              syslog receiver port, default {@link SyslogTlsTransport#DEFAULT_PORT}
 * @param file              output file (FILE)
 * @param url               {@code https://} endpoint (HTTPS), e.g. {@code https://splunk:8088/services/collector/event}
 * @param token             secret store name of the HTTPS token, if the receiver wants one
 * @param clientCertificate present the node's client certificate (mutual TLS)
 * @param spoolMaxBytes     bound of the undelivered records on disk
 * @param startAtLatest     a new output starts at the newest events instead of the whole trail
 */
public record SiemOutputConfig(String name, SiemFormat format, Carrier carrier, String host, int port, Path file, URI url,
                               Optional<SecretName> token, boolean clientCertificate, long spoolMaxBytes,
                               boolean startAtLatest) {

    public static final long DEFAULT_SPOOL_MAX_BYTES = 256L << 20;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    public SiemOutputConfig {
        Objects.requireNonNull(name, "siem output name is required");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a SIEM output name must match " + NAME + ", was " + name);
        }
        String key = "siem." + name + ".";
        Objects.requireNonNull(format, key + "format is required");
        Objects.requireNonNull(carrier, key + "transport is required");
        Objects.requireNonNull(token, "token");
        if (!format.allows(carrier)) {
            throw new IllegalArgumentException(key + "format " + format + " cannot be sent over " + carrier);
        }
        switch (carrier) {
            case SYSLOG_TLS -> {
                if (host == null || host.isBlank() || port < 1 || port > 65535) {
                    throw new IllegalArgumentException(key + "host and " + key + "port (1-65535) are required for syslog over TLS");
                }
            }
            case FILE -> Objects.requireNonNull(file, key + "file is required for a file output");
            case HTTPS -> {
                if (url == null || !"https".equals(url.getScheme())) {
                    throw new IllegalArgumentException(key + "url must be an https:// URL");
                }
            }
        }
        if (spoolMaxBytes < Spool.MAX_RECORD_BYTES * 4L) {
            throw new IllegalArgumentException(key + "spoolMaxBytes must be at least " + Spool.MAX_RECORD_BYTES * 4L);
        }
    }

    public static SiemOutputConfig syslogTls(String name, SiemFormat format, String host, int port, boolean clientCertificate) {
        return new SiemOutputConfig(name, format, Carrier.SYSLOG_TLS, host, port, null, null, Optional.empty(),
                clientCertificate, DEFAULT_SPOOL_MAX_BYTES, false);
    }

    public static SiemOutputConfig file(String name, SiemFormat format, Path file) {
        return new SiemOutputConfig(name, format, Carrier.FILE, null, 0, file, null, Optional.empty(), false,
                DEFAULT_SPOOL_MAX_BYTES, false);
    }

    public static SiemOutputConfig https(String name, SiemFormat format, URI url, Optional<SecretName> token) {
        return new SiemOutputConfig(name, format, Carrier.HTTPS, null, 0, null, url, token, false,
                DEFAULT_SPOOL_MAX_BYTES, false);
    }

    public SiemOutputConfig withSpoolMaxBytes(long bytes) {
        return new SiemOutputConfig(name, format, carrier, host, port, file, url, token, clientCertificate, bytes, startAtLatest);
    }

    public SiemOutputConfig withStartAtLatest(boolean latest) {
        return new SiemOutputConfig(name, format, carrier, host, port, file, url, token, clientCertificate, spoolMaxBytes, latest);
    }
}
