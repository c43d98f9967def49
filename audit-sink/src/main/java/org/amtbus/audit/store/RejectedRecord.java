package org.amtbus.audit.store;

import java.util.Objects;

/**
 * A Kafka record that was not a valid audit event: where it was, why it was refused, and the size
 * and SHA-256 of its payload, never the payload itself (it may hold anything, a secret included).
 *
 * @param stream the record's key when it is a valid stream id, else null
 * @param reason field-level reasons from the schema validator, which never echo values; at most
 *               {@value #MAX_REASON} characters
 */
public record RejectedRecord(String topic, int partition, long offset, String stream, String reason, int payloadSize,
                             byte[] payloadSha256) {

    public static final int MAX_REASON = 1024;

    public RejectedRecord {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(payloadSha256, "payloadSha256");
        if (reason.length() > MAX_REASON) {
            reason = reason.substring(0, MAX_REASON - 3) + "...";
        }
    }
}
