package org.amtbus.audit.alert;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.amtbus.audit.verify.Problem;
import org.amtbus.audit.verify.VerificationResult;
import org.amtbus.schemas.model.Alert;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.TenantId;

/**
 * The alert rules, evaluated event by event on the audit stream. Pure decisions with in-memory windows:
 * no I/O, the caller publishes what they return.
 *
 * <p>Rules ({@link Alert#rule()} names):
 * <ul>
 * <li>{@code auth.failures.account} / {@code auth.failures.source}: more than the threshold of
 * {@code auth.login} failures in the window for one account / one source address (port ignored). Counted
 * on event time; events older than the window (by the clock) are ignored, so a replay of old events
 * raises nothing. Fires once when the count first exceeds the threshold, then stays quiet for that
 * key until its window has emptied below the threshold again.</li>
 * <li>{@code auth.lockout}: any {@code auth.lockout}.</li>
 * <li>{@code acl.denied.command}: any {@code acl.denied} whose target matches the command topic filter.</li>
 * <li>{@code cert.expiring}: a {@code cert.expiring} whose {@code notAfter} detail is within the configured
 * period (or that has none: the emitter already judged it).</li>
 * <li>{@code audit.chain-broken}: a verification that found a problem.</li>
 * </ul>
 * Invariant: {@code alert.*} events never feed a rule, so alerts cannot alert about themselves. Not
 * thread-safe: one consumer thread evaluates.
 */
public final class AlertRules {

    /** Keys tracked per window at most; the oldest key is forgotten first (bounded memory under a spray). */
    static final int MAX_KEYS = 100_000;

    private final AlertConfig config;
    private final Clock clock;
    private final Pattern commandTopic;
    private final Window byAccount = new Window();
    private final Window bySource = new Window();

    public AlertRules(AlertConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.commandTopic = config.commandTopicPattern();
    }

    /** The alerts {@code event} raises (usually none). */
    public List<Alert> evaluate(AuditEvent event) {
        String type = event.type();
        if (type.startsWith("alert.")) {
            return List.of();
        }
        TenantId tenant = event.tenant() == null ? config.defaultTenant() : event.tenant();
        List<Alert> alerts = new ArrayList<>(1);
        switch (type) {
            case "auth.login" -> {
                if (event.outcome() != AuditEvent.Outcome.SUCCESS && recent(event)) {
                    int threshold = config.authFailureThreshold();
                    byAccount.add("account", event.actor().name(), event, threshold, config.authFailureWindow())
                            .ifPresent(ids -> alerts.add(alert("auth.failures.account", Alert.Severity.WARNING, tenant,
                                    "more than " + threshold + " failed logins within " + config.authFailureWindow().toSeconds()
                                            + " s for account " + event.actor().name(), ids)));
                    if (event.source() != null) {
                        String address = address(event.source());
                        bySource.add("source", address, event, threshold, config.authFailureWindow())
                                .ifPresent(ids -> alerts.add(alert("auth.failures.source", Alert.Severity.WARNING, tenant,
                                        "more than " + threshold + " failed logins within "
                                                + config.authFailureWindow().toSeconds() + " s from " + address, ids)));
                    }
                }
            }
            case "auth.lockout" -> {
                if (config.lockoutAlerts()) {
                    alerts.add(alert("auth.lockout", Alert.Severity.WARNING, tenant,
                            "account " + event.actor().name() + " locked out"
                                    + (event.target() == null ? "" : " (" + event.target() + ")"), List.of(event.id())));
                }
            }
            case "acl.denied" -> {
                if (config.commandDenialAlerts() && event.target() != null && commandTopic.matcher(event.target()).matches()) {
                    alerts.add(alert("acl.denied.command", Alert.Severity.CRITICAL, tenant,
                            event.actor().name() + " was denied on command topic " + event.target(), List.of(event.id())));
                }
            }
            case "cert.expiring" -> {
                Instant notAfter = notAfter(event);
                if (notAfter == null || !notAfter.isAfter(clock.instant().plus(config.certExpiryWithin()))) {
                    alerts.add(alert("cert.expiring", Alert.Severity.WARNING, tenant,
                            "certificate " + (event.target() == null ? "" : event.target() + " ")
                                    + (notAfter == null ? "expires soon" : "expires " + notAfter), List.of(event.id())));
                }
            }
            default -> {
                // no rule for this type
            }
        }
        return alerts;
    }

    /** The alert a failed verification raises (empty when the trail is intact or the rule is off). */
    public List<Alert> evaluate(VerificationResult result) {
        if (!config.chainAlerts() || result.intact()) {
            return List.of();
        }
        Problem first = result.firstProblem().orElseThrow();
        return List.of(alert("audit.chain-broken", Alert.Severity.CRITICAL, config.defaultTenant(),
                "audit trail verification failed: " + result.problems().size() + " stream(s); first " + first.kind()
                        + " in stream " + first.stream() + " at seq " + first.seq(), List.of()));
    }

    private boolean recent(AuditEvent event) {
        return !event.time().isBefore(clock.instant().minus(config.authFailureWindow()));
    }

    private Alert alert(String rule, Alert.Severity severity, TenantId tenant, String summary, List<UUID> related) {
        String text = summary.length() > 512 ? summary.substring(0, 511) + "…" : summary;
        return new Alert(UUID.randomUUID(), clock.instant(), rule, severity, tenant, text, related);
    }

    /** {@code 192.0.2.7:443} → {@code 192.0.2.7}; {@code [2001:db8::1]:443} → {@code 2001:db8::1}. */
    static String address(String source) {
        if (source.startsWith("[")) {
            int end = source.indexOf(']');
            return end > 0 ? source.substring(1, end) : source;
        }
        int colon = source.indexOf(':');
        return colon > 0 && colon == source.lastIndexOf(':') ? source.substring(0, colon) : source;
    }

    private static Instant notAfter(AuditEvent event) {
        String value = event.details().get("notAfter");
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Failure times per key (one account or one address), on event time, with per-key suppression. */
    private static final class Window {
        private final Map<String, Deque<AuditEvent>> events = new java.util.LinkedHashMap<>(16, 0.75f, true);
        private final Map<String, Boolean> fired = new HashMap<>();

        /** Adds a failure; returns the related ids when this one pushes the count over the threshold. */
        java.util.Optional<List<UUID>> add(String kind, String key, AuditEvent event, int threshold, Duration window) {
            Deque<AuditEvent> recent = events.computeIfAbsent(key, k -> new ArrayDeque<>());
            recent.addLast(event);
            Instant from = event.time().minus(window);
            recent.removeIf(e -> !e.time().isAfter(from));
            if (events.size() > MAX_KEYS) {
                String eldest = events.keySet().iterator().next();
                events.remove(eldest);
                fired.remove(eldest);
            }
            if (recent.size() <= threshold) {
                fired.remove(key);
                return java.util.Optional.empty();
            }
            if (fired.putIfAbsent(key, Boolean.TRUE) != null) {
                return java.util.Optional.empty(); // already alerted for this burst
            }
            List<UUID> ids = recent.stream().map(AuditEvent::id).limit(Alert.MAX_RELATED).toList();
            return java.util.Optional.of(ids);
        }
    }
}
