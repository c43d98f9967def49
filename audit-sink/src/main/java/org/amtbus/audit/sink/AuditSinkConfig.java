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
 * </table>
 */
public record AuditSinkConfig(String topic, String groupId, Duration checkpointInterval, SecretName checkpointKey,
                              int maxEventBytes) {

    public static final String DEFAULT_GROUP_ID = "amtbus-audit-sink";

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
    }

    public static AuditSinkConfig defaults() {
        return new AuditSinkConfig(KafkaTopics.AUDIT, DEFAULT_GROUP_ID, Checkpointer.DEFAULT_INTERVAL,
                CheckpointKey.DEFAULT_NAME, SchemaValidator.DEFAULT_MAX_BYTES);
    }

    public AuditSinkConfig withTopic(String newTopic) {
        return new AuditSinkConfig(newTopic, groupId, checkpointInterval, checkpointKey, maxEventBytes);
    }

    public AuditSinkConfig withGroupId(String newGroupId) {
        return new AuditSinkConfig(topic, newGroupId, checkpointInterval, checkpointKey, maxEventBytes);
    }

    public AuditSinkConfig withCheckpointInterval(Duration interval) {
        return new AuditSinkConfig(topic, groupId, interval, checkpointKey, maxEventBytes);
    }
}
