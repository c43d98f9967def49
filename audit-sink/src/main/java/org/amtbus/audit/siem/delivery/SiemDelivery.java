package org.amtbus.audit.siem.delivery;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.amtbus.platform.secret.SecretStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIEM outputs of a node, assembled from {@link SiemConfig}: one {@link SiemOutput} (own spool, own
 * cursor, own thread) per configured output, all reading the chained trail in PostgreSQL.
 *
 * <p>Invariants: a misconfigured output fails the start with one clear message (nothing half-started is
 * left running); metrics per output are registered as {@code amtbus.siem.*} with tag {@code output};
 * {@link #close()} stops every output. Start and close block.
 */
public final class SiemDelivery implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SiemDelivery.class);

    private final List<SiemOutput> outputs;

    private SiemDelivery(List<SiemOutput> outputs) {
        this.outputs = List.copyOf(outputs);
    }

    /**
     * Starts every output of {@code config}.
     *
     * @param tls      TLS material for syslog and HTTPS outputs: the receivers' trust anchor, and the client
     *                 certificate for outputs with {@code clientCertificate}; empty when no output needs TLS
     * @param registry where the metrics go (may be null)
     */
    public static SiemDelivery start(DataSource dataSource, SecretStore secrets, SiemConfig config,
                                     Optional<SiemTls> tls, MeterRegistry registry) {
        StoreFeed feed = new StoreFeed(dataSource);
        List<SiemOutput> started = new ArrayList<>();
        try {
            for (SiemOutputConfig out : config.outputs()) {
                SiemOutput output = build(out, feed, secrets, config, tls);
                started.add(output.start());
                if (registry != null) {
                    register(registry, output);
                }
            }
        } catch (RuntimeException e) {
            started.forEach(SiemOutput::close);
            throw e;
        }
        return new SiemDelivery(started);
    }

    private static SiemOutput build(SiemOutputConfig out, StoreFeed feed, SecretStore secrets, SiemConfig config,
                                    Optional<SiemTls> tls) {
        Transport transport = switch (out.carrier()) {
            case FILE -> new FileTransport(out.file());
            case SYSLOG_TLS -> new SyslogTlsTransport(out.host(), out.port(), siemTls(out, tls), config.timing().maxRetry(),
                    config.confirmWait());
            case HTTPS -> new HttpsTransport(out.url(), siemTls(out, tls),
                    out.format() == SiemFormat.HEC ? HttpsTransport.Scheme.SPLUNK : HttpsTransport.Scheme.BEARER,
                    out.token(), secrets, java.time.Duration.ofSeconds(30));
        };
        Spool spool = Spool.open(config.spoolRoot().resolve(out.name()), out.spoolMaxBytes(), config.segmentBytes());
        FeedCursor cursor = FeedCursor.open(spool.directory());
        if (!cursor.existed() && out.startAtLatest()) {
            cursor.advance(feed.heads());
        } else if (!cursor.existed()) {
            cursor.advance(java.util.Map.of()); // a new output: the whole trail, from each stream's first event
        }
        return new SiemOutput(out.name(), out.format().encoder(out.carrier(), config.origin(), config.productVersion()),
                transport, spool, cursor, feed, config.batchSize(), config.timing());
    }

    private static SiemTls siemTls(SiemOutputConfig out, Optional<SiemTls> tls) {
        SiemTls material = tls.orElseThrow(() -> new IllegalArgumentException(
                "SIEM output " + out.name() + " uses TLS but no trust anchor was given"));
        if (out.clientCertificate() && material.clientCertificate().isEmpty()) {
            throw new IllegalArgumentException("SIEM output " + out.name() + " wants a client certificate but none was given");
        }
        return new SiemTls(material.trustAnchor(), out.clientCertificate() ? material.clientCertificate() : Optional.empty());
    }

    private static void register(MeterRegistry registry, SiemOutput output) {
        String tag = output.name();
        FunctionCounter.builder("amtbus.siem.spooled", output, SiemOutput::spooledCount).tag("output", tag).register(registry);
        FunctionCounter.builder("amtbus.siem.delivered", output, SiemOutput::deliveredCount).tag("output", tag).register(registry);
        FunctionCounter.builder("amtbus.siem.failures", output, SiemOutput::failureCount).tag("output", tag).register(registry);
        Gauge.builder("amtbus.siem.spool.records", output, SiemOutput::pendingRecords).tag("output", tag).register(registry);
        Gauge.builder("amtbus.siem.spool.bytes", output, SiemOutput::spoolBytes).tag("output", tag).register(registry);
        Gauge.builder("amtbus.siem.spool.full", output, o -> o.spoolFull() ? 1 : 0).tag("output", tag).register(registry);
        Gauge.builder("amtbus.siem.receiver.down", output, o -> o.receiverDown() ? 1 : 0).tag("output", tag).register(registry);
    }

    public List<SiemOutput> outputs() {
        return outputs;
    }

    /** Looks at the store now (call after the sink stored a batch); otherwise each output polls. */
    public void poke() {
        outputs.forEach(SiemOutput::poke);
    }

    @Override
    public void close() {
        outputs.forEach(SiemOutput::close);
        LOG.info("event=siem.stopped outputs={}", outputs.size());
    }
}
