package org.amtbus.audit.alert;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.KafkaTopics;

/**
 * Settings of the alert rules, validated on construction (see docs/audit.md, "Alert rules").
 *
 * @param authFailureThreshold  an alert when <b>more</b> than this many {@code auth.login} failures fall in one window
 * @param authFailureWindow     the sliding window of the failure count (per account and per source address)
 * @param lockoutAlerts         any {@code auth.lockout} raises an alert
 * @param commandDenialAlerts   any {@code acl.denied} whose target matches {@code commandTopic} raises an alert
 * @param commandTopic          the topics a denial on which is an alert (MQTT filter syntax with {@code +})
 * @param certExpiryWithin      a {@code cert.expiring} event whose {@code notAfter} is within this raises an alert
 * @param chainAlerts           a failed audit chain verification raises an alert
 * @param defaultTenant         the tenant of alerts about events that name none
 */
public record AlertConfig(String auditTopic, String alertsTopic, String groupId, int authFailureThreshold,
                          Duration authFailureWindow, boolean lockoutAlerts, boolean commandDenialAlerts,
                          String commandTopic, Duration certExpiryWithin, boolean chainAlerts, TenantId defaultTenant) {

    public static final String DEFAULT_GROUP_ID = "amtbus-audit-alerts";
    public static final int DEFAULT_AUTH_FAILURES = 5;
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    public static final String DEFAULT_COMMAND_TOPIC = "amtbus/v1/+/devices/+/commands";
    public static final Duration DEFAULT_CERT_WITHIN = Duration.ofDays(30);

    public AlertConfig {
        Objects.requireNonNull(auditTopic, "alerts.auditTopic");
        Objects.requireNonNull(alertsTopic, "alerts.topic");
        Objects.requireNonNull(groupId, "alerts.groupId");
        Objects.requireNonNull(authFailureWindow, "alerts.authFailureWindow");
        Objects.requireNonNull(commandTopic, "alerts.commandTopic");
        Objects.requireNonNull(certExpiryWithin, "alerts.certExpiryWithin");
        Objects.requireNonNull(defaultTenant, "alerts.defaultTenant");
        if (authFailureThreshold < 1 || authFailureThreshold > 10_000) {
            throw new IllegalArgumentException("alerts.authFailureThreshold must be 1 to 10000, was " + authFailureThreshold);
        }
        if (authFailureWindow.compareTo(Duration.ofSeconds(1)) < 0 || authFailureWindow.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("alerts.authFailureWindow must be 1 s to 24 h, was " + authFailureWindow);
        }
        if (certExpiryWithin.isNegative() || certExpiryWithin.compareTo(Duration.ofDays(365)) > 0) {
            throw new IllegalArgumentException("alerts.certExpiryWithin must be 0 to 365 days, was " + certExpiryWithin);
        }
        if (commandTopic.contains("#") || commandTopic.isBlank()) {
            throw new IllegalArgumentException("alerts.commandTopic must be a topic filter with '+' only");
        }
    }

    public static AlertConfig defaults() {
        return new AlertConfig(KafkaTopics.AUDIT, KafkaTopics.ALERTS, DEFAULT_GROUP_ID, DEFAULT_AUTH_FAILURES,
                DEFAULT_WINDOW, true, true, DEFAULT_COMMAND_TOPIC, DEFAULT_CERT_WITHIN, true, new TenantId("default"));
    }

    public AlertConfig withTopics(String audit, String alerts, String group) {
        return new AlertConfig(audit, alerts, group, authFailureThreshold, authFailureWindow, lockoutAlerts,
                commandDenialAlerts, commandTopic, certExpiryWithin, chainAlerts, defaultTenant);
    }

    /** {@link #commandTopic} as a regular expression: {@code +} is one level. */
    Pattern commandTopicPattern() {
        StringBuilder regex = new StringBuilder();
        for (String level : commandTopic.split("/", -1)) {
            if (!regex.isEmpty()) {
                regex.append('/');
            }
            regex.append(level.equals("+") ? "[^/]+" : Pattern.quote(level));
        }
        return Pattern.compile(regex.toString());
    }
}
