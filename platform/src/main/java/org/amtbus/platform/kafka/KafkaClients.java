package org.amtbus.platform.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Builds the Kafka clients every amtbus service uses, with one set of safe settings: keys are
 * device GUIDs (strings), values are JSON bytes.
 *
 * <p>Invariants: producers are idempotent with {@code acks=all} and at most 5 requests in flight, so
 * one device's records are written once and in order even across retries; consumers never commit
 * on their own (the service commits after its work is durable) and never see aborted transactional
 * records; every consumer states where it starts when it has no committed offset.
 *
 * <p>Thread-safe; building a client does no I/O (clients connect lazily). The returned producer
 * and admin are thread-safe; a consumer must be used by one thread only. The caller closes them.
 * TCP_NODELAY: Kafka's client sets it on every socket it opens (Selector), so no setting is needed.
 */
public final class KafkaClients {

    /**
     * How long a producer waits to fill a batch. A command is interactive, so a lone record must not
     * wait long; 1 ms still lets a burst (a bulk power action, a flood of audit events) share
     * batches. Kafka 4's default of 5 ms is tuned for throughput.
     */
    static final int LINGER_MS = 1;
    /**
     * The tick of {@link #bulkProducer}: short enough that an audit event or a presence change is still prompt.
     * Every command makes two audit events; with {@link #LINGER_MS} nearly each went to the broker as its own
     * produce request, which cost the embedded broker about as much CPU as the command's own hops.
     */
    static final int BULK_LINGER_MS = 20;
    /** The most the idempotent producer allows while still keeping order across retries. */
    static final int MAX_IN_FLIGHT_REQUESTS = 5;
    /**
     * Off: payloads are small JSON documents and the CPU is shared with the broker on small nodes.
     * lz4 is the choice if disk or network for the audit topic ever matters more.
     */
    static final String COMPRESSION = "none";
    /**
     * Upper bound for a send to be acknowledged, retries included, before the callback fails; the
     * command router turns such a failure into a result instead of waiting for ever.
     */
    /** Long enough to ride out a Kafka outage of a couple of minutes without dropping an accepted record. */
    static final Duration DELIVERY_TIMEOUT = Duration.ofMinutes(3);
    /** Admin calls (topic creation at start) fail within this, so a start without Kafka ends with one line soon. */
    static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    /** One broker request's timeout; must be below the delivery timeout (Kafka checks). */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private static final Pattern PURPOSE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-]{0,200}");

    /** Where a consumer starts in a partition for which its group has no committed offset. */
    /** How long a silent consumer keeps its partitions (the broker's minimum is 6 s). */
    static final java.time.Duration SESSION_TIMEOUT = java.time.Duration.ofSeconds(10);

    public enum OffsetReset {
        /** Everything still retained: for consumers that must not miss a record (audit, results). */
        EARLIEST,
        /** Only what arrives from now on: for live views where history is useless. */
        LATEST
    }

    private final KafkaConfig config;
    private final AtomicInteger sequence = new AtomicInteger();

    public KafkaClients(KafkaConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** An idempotent producer; {@code purpose} names it in its client id, e.g. {@code "bridge"}. */
    public Producer<String, byte[]> producer(String purpose) {
        return new KafkaProducer<>(producerProperties(purpose), new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * A producer for records nobody waits on interactively (audit events, presence): it gathers what is sent within
     * {@link #BULK_LINGER_MS} into one request. In a reconnect storm that turns one broker request per record, and
     * one wake-up of every consumer of the topic, into one per tick; each record is still sent and delivered.
     */
    public Producer<String, byte[]> bulkProducer(String purpose) {
        return new KafkaProducer<>(bulkProducerProperties(purpose), new StringSerializer(), new ByteArraySerializer());
    }

    Map<String, Object> bulkProducerProperties(String purpose) {
        Map<String, Object> p = producerProperties(purpose);
        p.put(ProducerConfig.LINGER_MS_CONFIG, BULK_LINGER_MS);
        return p;
    }

    /** A consumer in {@code groupId}, manual commits, read_committed, starting at {@code reset} when new. */
    public Consumer<String, byte[]> consumer(String groupId, OffsetReset reset) {
        return new KafkaConsumer<>(consumerProperties(groupId, reset), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    /**
     * A consumer like {@link #consumer(String, OffsetReset)} that fetches in bulk: up to {@code fetch.maxRecords()}
     * records per poll, and the broker holds a fetch until {@code fetch.minBytes()} are there or
     * {@code fetch.maxWait()} has passed. For a consumer that makes each poll durable in one step (the audit sink's
     * one transaction per poll), so that a busy consumer gets full batches and an idle one waits at most maxWait.
     */
    public Consumer<String, byte[]> consumer(String groupId, OffsetReset reset, BulkFetch fetch) {
        return new KafkaConsumer<>(consumerProperties(groupId, reset, fetch), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    /**
     * How a bulk consumer fetches (see {@link #consumer(String, OffsetReset, BulkFetch)}).
     *
     * @param maxRecords records per poll, 1 to 100,000 (Kafka's default is 500)
     * @param minBytes   bytes the broker waits for before it answers a fetch, 1 to 16 MiB
     * @param maxWait    the longest the broker holds a fetch that has fewer than minBytes, 0 to 1 s
     */
    public record BulkFetch(int maxRecords, int minBytes, Duration maxWait) {
        public BulkFetch {
            Objects.requireNonNull(maxWait, "maxWait");
            if (maxRecords < 1 || maxRecords > 100_000) {
                throw new IllegalArgumentException("maxRecords must be 1 to 100000, was " + maxRecords);
            }
            if (minBytes < 1 || minBytes > 16 << 20) {
                throw new IllegalArgumentException("minBytes must be 1 to 16 MiB, was " + minBytes);
            }
            if (maxWait.isNegative() || maxWait.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException("maxWait must be 0 to 1 s, was " + maxWait);
            }
        }
    }

    public Admin admin() {
        return Admin.create(adminProperties());
    }

    public KafkaConfig config() {
        return config;
    }

    Map<String, Object> producerProperties(String purpose) {
        Map<String, Object> p = common(purpose);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, MAX_IN_FLIGHT_REQUESTS);
        p.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, COMPRESSION);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis());
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) REQUEST_TIMEOUT.toMillis());
        return p;
    }

    Map<String, Object> consumerProperties(String groupId, OffsetReset reset) {
        if (groupId == null || !PURPOSE.matcher(groupId).matches()) {
            throw new IllegalArgumentException("consumer group id must match " + PURPOSE.pattern() + ", was " + groupId);
        }
        Objects.requireNonNull(reset, "reset");
        Map<String, Object> p = common(groupId);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, reset.name().toLowerCase(java.util.Locale.ROOT));
        // a consumer that died (kill -9, a lost machine) gives its partitions to the others within about 10 s,
        // instead of Kafka's default 45 s: routers and gateways fail over while commands wait
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) SESSION_TIMEOUT.toMillis());
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) SESSION_TIMEOUT.toMillis() / 3);
        return p;
    }

    Map<String, Object> consumerProperties(String groupId, OffsetReset reset, BulkFetch fetch) {
        Objects.requireNonNull(fetch, "fetch");
        Map<String, Object> p = consumerProperties(groupId, reset);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, fetch.maxRecords());
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, fetch.minBytes());
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) fetch.maxWait().toMillis());
        return p;
    }

    Map<String, Object> adminProperties() {
        Map<String, Object> p = common("admin");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) REQUEST_TIMEOUT.toMillis());
        return p;
    }

    /** Settings every client shares, including TLS 1.3 with host name verification when a CA file is configured. */
    Map<String, Object> common(String purpose) {
        if (purpose == null || !PURPOSE.matcher(purpose).matches()) {
            throw new IllegalArgumentException("client purpose must match " + PURPOSE.pattern() + ", was " + purpose);
        }
        Map<String, Object> p = new HashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        // unique per client: Kafka registers JMX metrics by client id and warns on clashes
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG,
                config.clientIdPrefix() + "-" + purpose + "-" + sequence.incrementAndGet());
        config.tlsCaFile().ifPresent(ca -> {
            p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
            p.put("ssl.protocol", "TLSv1.3");
            p.put("ssl.enabled.protocols", "TLSv1.3");
            p.put("ssl.truststore.type", "PEM");
            p.put("ssl.truststore.location", ca.toAbsolutePath().toString());
            p.put("ssl.endpoint.identification.algorithm", "https");
        });
        return p;
    }
}
