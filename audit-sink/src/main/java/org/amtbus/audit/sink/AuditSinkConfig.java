package org.amtbus.audit.sink;

import java.time.Duration;
import java.util.Objects;
import org.amtbus.audit.checkpoint.CheckpointKey;
import org.amtbus.audit.checkpoint.Checkpointer;
import org.amtbus.platform.secret.SecretName;
import org.amtbus.schemas.SchemaValidator;
import org.amtbus.schemas.topic.KafkaTopics;

/**
 * Settings of the audit sink, validated on construction. Holds no secret (only the secret's name), so
 * it prints safely.
 *
 * <table>
 * <caption>settings</caption>
 * <tr><th>name</th><th>default</th><th>meaning</th></tr>
 * <tr><td>audit.topic</td><td>amtbus.audit</td><td>topic consumed</td></tr>
 * <tr><td>audit.groupId</td><td>amtbus-audit-sink</td><td>Kafka consumer group (starts at the earliest offset when new)</td></tr>
 * <tr><td>audit.checkpointInterval</td><td>PT1M</td><td>how often new events get a signed checkpoint, 100 ms to 24 h</td></tr>
 * <tr><td>audit.checkpointKey</td><td>audit/checkpoint-key</td><td>secret store name of the ECDSA P-384 signing key</td></tr>
 * <tr><td>audit.maxEventBytes</td><td>65536</td><td>larger records are rejected unread</td></tr>
 * <tr><td>audit.maxBatch</td><td>4000</td><td>records per poll, stored in one transaction (one WAL sync), 1 to 20,000</td></tr>
 * </table>
 */
public record AuditSinkConfig(String topic, String groupId, Duration checkpointInterval, SecretName checkpointKey,
                              int maxEventBytes, int maxBatch) {

    public static final String DEFAULT_GROUP_ID = "amtbus-audit-sink";
    /**
     * Records per poll, and so per transaction and WAL sync. Kafka's default of 500 left the sink paying a commit,
     * a duplicate check and the chain heads every 500 events; 4,000 events of ~400 bytes are 1.6 MB, one
     * transaction of some 100 ms on the bench machine, far below Kafka's 5-minute poll limit.
     */
    public static final int DEFAULT_MAX_BATCH = 4_000;
    public static final int MAX_MAX_BATCH = 20_000;

    public AuditSinkConfig {
        Objects.requireNonNull(topic, "audit.topic is required");
        Objects.requireNonNull(groupId, "audit.groupId is required");
        Objects.requireNonNull(checkpointKey, "audit.checkpointKey is required");
        Objects.requireNonNull(checkpointInterval, "audit.checkpointInterval is required");
        if (checkpointInterval.compareTo(Checkpointer.MIN_INTERVAL) < 0
                || checkpointInterval.compareTo(Checkpointer.MAX_INTERVAL) > 0) {
            throw new IllegalArgumentException("audit.checkpointInterval must be " + Checkpointer.MIN_INTERVAL + " to "
                    + Checkpointer.MAX_INTERVAL + ", was " + checkpointInterval);
        }
        if (maxEventBytes < SchemaValidator.MIN_MAX_BYTES || maxEventBytes > SchemaValidator.DEFAULT_MAX_BYTES) {
            throw new IllegalArgumentException("audit.maxEventBytes must be " + SchemaValidator.MIN_MAX_BYTES + " to "
                    + SchemaValidator.DEFAULT_MAX_BYTES + ", was " + maxEventBytes);
        }
        if (maxBatch < 1 || maxBatch > MAX_MAX_BATCH) {
            throw new IllegalArgumentException("audit.maxBatch must be 1 to " + MAX_MAX_BATCH + ", was " + maxBatch);
        }
    }

    public static AuditSinkConfig defaults() {
        return new AuditSinkConfig(KafkaTopics.AUDIT, DEFAULT_GROUP_ID, Checkpointer.DEFAULT_INTERVAL,
                CheckpointKey.DEFAULT_NAME, SchemaValidator.DEFAULT_MAX_BYTES,
                DEFAULT_MAX_BATCH);
    }

    public AuditSinkConfig withTopic(String newTopic) {
        return new AuditSinkConfig(newTopic, groupId, checkpointInterval, checkpointKey, maxEventBytes, maxBatch);
    }

    public AuditSinkConfig withGroupId(String newGroupId) {
        return new AuditSinkConfig(topic, newGroupId, checkpointInterval, checkpointKey, maxEventBytes, maxBatch);
    }

    public AuditSinkConfig withCheckpointInterval(Duration interval) {
        return new AuditSinkConfig(topic, groupId, interval, checkpointKey, maxEventBytes, maxBatch);
    }

    public AuditSinkConfig withMaxBatch(int records) {
        return new AuditSinkConfig(topic, groupId, checkpointInterval, checkpointKey, maxEventBytes, records);
    }
}
