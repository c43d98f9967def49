package org.amtbus.audit.siem.delivery;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import org.amtbus.audit.siem.Syslog;

/**
 * Settings of the SIEM delivery, validated on construction (see docs/audit.md, "SIEM outputs"). No output
 * means SIEM delivery is off.
 *
 * @param spoolRoot      each output spools in {@code spoolRoot/<name>}
 * @param origin         host name, app name and IANA PEN written into syslog and HEC records
 * @param productVersion the amtbus version the CEF/LEEF headers and ECS/OCSF metadata carry
 * @param batchSize      events read from the store per stream per step (1-10,000)
 * @param timing         store poll interval and delivery retry back-off
 * @param confirmWait    how long syslog over TLS watches the connection after a batch before counting it sent
 * @param segmentBytes   spool segment file size
 */
public record SiemConfig(List<SiemOutputConfig> outputs, Path spoolRoot, Syslog.Origin origin, String productVersion,
                         int batchSize, SiemOutput.Timing timing, Duration confirmWait, long segmentBytes) {

    public static final int DEFAULT_BATCH = 500;
    public static final Duration DEFAULT_CONFIRM_WAIT = Duration.ofMillis(50);
    public static final long DEFAULT_SEGMENT_BYTES = 16L << 20;

    public SiemConfig {
        outputs = List.copyOf(outputs);
        Objects.requireNonNull(spoolRoot, "siem.spoolDir is required");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(productVersion, "productVersion");
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(confirmWait, "confirmWait");
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("siem.batchSize must be 1 to 10000, was " + batchSize);
        }
        if (new HashSet<>(outputs.stream().map(SiemOutputConfig::name).toList()).size() != outputs.size()) {
            throw new IllegalArgumentException("SIEM output names must be unique");
        }
    }

    public static SiemConfig of(List<SiemOutputConfig> outputs, Path spoolRoot, String hostname, String productVersion) {
        return new SiemConfig(outputs, spoolRoot, new Syslog.Origin(hostname, "amtbus", Syslog.DOCUMENTATION_PEN),
                productVersion, DEFAULT_BATCH, SiemOutput.Timing.DEFAULT, DEFAULT_CONFIRM_WAIT, DEFAULT_SEGMENT_BYTES);
    }

    public SiemConfig withTiming(SiemOutput.Timing newTiming) {
        return new SiemConfig(outputs, spoolRoot, origin, productVersion, batchSize, newTiming, confirmWait, segmentBytes);
    }

    public SiemConfig withSegmentBytes(long bytes) {
        return new SiemConfig(outputs, spoolRoot, origin, productVersion, batchSize, timing, confirmWait, bytes);
    }
}
