package org.amtbus.audit;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.amtbus.audit.checkpoint.CheckpointKey;
import org.amtbus.audit.checkpoint.Checkpointer;
import org.amtbus.audit.query.AuditQueries;
import org.amtbus.audit.sink.AuditSink;
import org.amtbus.audit.sink.AuditSinkConfig;
import org.amtbus.audit.store.AuditStore;
import org.amtbus.platform.kafka.KafkaClients;
import org.amtbus.platform.secret.SecretStore;
import org.amtbus.schemas.SchemaValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit sink role of a node, assembled: the consumer of {@code amtbus.audit} writing the chained
 * store, the checkpointer signing it on an interval, and the queries the CLI uses.
 *
 * <p>Invariants: once {@link #start} returns, the consumer owns its partitions (or the start failed)
 * and the signing key exists in the secret store with its public half in {@code audit_keys};
 * {@link #close()} stops consuming first (the last batch committed) and then signs a final checkpoint.
 * Start and close block; call them from start-up and shutdown threads.
 */
public final class AuditService implements AutoCloseable {

    /** How long start waits for the consumer to own its partitions. */
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    /**
     * A busy sink gets full fetches: the broker answers once 256 KiB (some 600 events) are there, or after
     * {@link #FETCH_MAX_WAIT}; so a lone event on an idle topic waits at most 50 ms for company.
     */
    static final int FETCH_MIN_BYTES = 256 * 1024;
    static final Duration FETCH_MAX_WAIT = Duration.ofMillis(50);
    private static final Logger LOG = LoggerFactory.getLogger(AuditService.class);

    private final AuditSink sink;
    private final Checkpointer checkpointer;
    private final AuditQueries queries;

    private AuditService(AuditSink sink, Checkpointer checkpointer, AuditQueries queries) {
        this.sink = sink;
        this.checkpointer = checkpointer;
        this.queries = queries;
    }

    /**
     * Starts the sink on a migrated database.
     *
     * @param dataSource the node's pool ({@code Database.dataSource()}), migrations applied
     * @param secrets    where the checkpoint signing key lives (created on first use)
     * @throws IllegalStateException when the consumer does not own its partitions within {@link #READY_TIMEOUT}
     */
    public static AuditService start(DataSource dataSource, KafkaClients kafka, SecretStore secrets,
                                     AuditSinkConfig config, Clock clock) {
        Objects.requireNonNull(config, "config");
        CheckpointKey key = CheckpointKey.loadOrCreate(secrets, config.checkpointKey());
        Checkpointer checkpointer = new Checkpointer(dataSource, key, clock);
        AuditStore store = new AuditStore(dataSource);
        KafkaClients.BulkFetch fetch = new KafkaClients.BulkFetch(config.maxBatch(), FETCH_MIN_BYTES, FETCH_MAX_WAIT);
        AuditSink sink = new AuditSink(kafka.consumer(config.groupId(), KafkaClients.OffsetReset.EARLIEST, fetch),
                config.topic(), store, new SchemaValidator(config.maxEventBytes()));
        sink.start();
        if (!sink.awaitReady(READY_TIMEOUT)) {
            sink.close();
            checkpointer.close();
            throw new IllegalStateException("the audit sink did not get its partitions of " + config.topic()
                    + " within " + READY_TIMEOUT.toSeconds() + " s; is Kafka reachable?");
        }
        checkpointer.start(config.checkpointInterval());
        LOG.info("event=audit.sink-started topic={} group={} checkpointInterval={} keyId={}", config.topic(),
                config.groupId(), config.checkpointInterval(), key.keyId());
        return new AuditService(sink, checkpointer, new AuditQueries(dataSource));
    }

    /** tail, search, verify and key export for the CLI. */
    public AuditQueries queries() {
        return queries;
    }

    public AuditSink sink() {
        return sink;
    }

    public Checkpointer checkpointer() {
        return checkpointer;
    }

    @Override
    public void close() {
        sink.close();
        checkpointer.close();
        LOG.info("event=audit.sink-stopped stored={} duplicates={} rejected={}", sink.storedCount(),
                sink.duplicateCount(), sink.rejectedCount());
    }
}
