package org.amtbus.audit.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.amtbus.audit.chain.StreamId;
import org.amtbus.audit.verify.Problem;
import org.amtbus.audit.verify.StreamVerification;
import org.amtbus.audit.verify.VerificationResult;
import org.amtbus.platform.testing.ManualClock;
import org.amtbus.schemas.model.Alert;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.AuditEvent.Outcome;
import org.amtbus.schemas.model.TenantId;
import org.junit.jupiter.api.Test;

class AlertRulesTest {

    private final ManualClock clock = new ManualClock();
    private final AlertRules rules = new AlertRules(AlertConfig.defaults(), clock);

    @Test
    void sixFailedLoginsOfOneAccountWithinAMinuteRaiseOneAlertFiveDoNot() {
        // given: five failures from five addresses, 10 s apart
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            alerts.addAll(rules.evaluate(login("alice", "192.0.2." + i, Outcome.FAILURE)));
            clock.advance(Duration.ofSeconds(10));
        }
        assertThat(alerts).isEmpty();

        // when: the sixth within the minute
        alerts.addAll(rules.evaluate(login("alice", "192.0.2.9", Outcome.FAILURE)));

        // then
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo("auth.failures.account");
            assertThat(a.relatedEventIds()).hasSize(6);
            assertThat(a.tenant()).isEqualTo(new TenantId("acme"));
            assertThat(a.time()).isEqualTo(clock.instant());
        });
        // and a seventh in the same burst stays quiet
        assertThat(rules.evaluate(login("alice", "192.0.2.10", Outcome.FAILURE))).isEmpty();
    }

    @Test
    void failuresSpreadOverMoreThanAMinuteStaySilent() {
        for (int i = 0; i < 20; i++) {
            assertThat(rules.evaluate(login("bob", "192.0.2." + i, Outcome.FAILURE))).as("failure %d", i).isEmpty();
            clock.advance(Duration.ofSeconds(13)); // at most 5 fall in any 60 s
        }
    }

    @Test
    void sixFailuresFromOneAddressAcrossAccountsRaiseTheSourceAlert() {
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            alerts.addAll(rules.evaluate(login("user" + i, "[2001:db8::1]:" + (40000 + i), Outcome.FAILURE)));
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo("auth.failures.source");
            assertThat(a.summary()).contains("2001:db8::1");
        });
    }

    @Test
    void successfulLoginsAndOldReplayedFailuresDoNotCount() {
        for (int i = 0; i < 10; i++) {
            assertThat(rules.evaluate(login("carol", "192.0.2.1", Outcome.SUCCESS))).isEmpty();
        }
        Instant old = clock.instant().minus(Duration.ofHours(1));
        for (int i = 0; i < 10; i++) {
            assertThat(rules.evaluate(event("auth.login", "carol", "192.0.2.1", null, Outcome.FAILURE, old, Map.of())))
                    .isEmpty();
        }
    }

    @Test
    void theBurstAlertRearmsAfterTheWindowEmpties() {
        for (int i = 0; i < 6; i++) {
            rules.evaluate(login("dave", null, Outcome.FAILURE));
        }
        clock.advance(Duration.ofMinutes(2));
        List<Alert> second = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            second.addAll(rules.evaluate(login("dave", null, Outcome.FAILURE)));
        }
        assertThat(second).extracting(Alert::rule).containsExactly("auth.failures.account");
    }

    @Test
    void anyLockoutRaisesAnAlert() {
        assertThat(rules.evaluate(event("auth.lockout", "erin", "192.0.2.1", "user:erin", Outcome.SUCCESS, clock.instant(),
                Map.of()))).extracting(Alert::rule).containsExactly("auth.lockout");
        assertThat(rules.evaluate(login("erin", "192.0.2.1", Outcome.SUCCESS))).isEmpty();
    }

    @Test
    void anAclDenialOnACommandTopicRaisesAnAlertOtherDenialsDoNot() {
        assertThat(rules.evaluate(denied("amtbus/v1/acme/devices/2f1c9a3e-0000-4000-8000-000000000001/commands")))
                .extracting(Alert::rule, Alert::severity).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("acl.denied.command", Alert.Severity.CRITICAL));
        assertThat(rules.evaluate(denied("amtbus/v1/acme/devices/x/events"))).isEmpty();
        assertThat(rules.evaluate(denied("amtbus/v1/acme/devices/x/commands/extra"))).isEmpty();
        assertThat(rules.evaluate(denied("amtbus/v1/acme/alerts"))).isEmpty();
        assertThat(rules.evaluate(denied(null))).isEmpty();
    }

    @Test
    void aCertificateExpiringWithin30DaysRaisesAnAlertLaterOnesDoNot() {
        assertThat(rules.evaluate(cert(clock.instant().plus(Duration.ofDays(29)))))
                .extracting(Alert::rule).containsExactly("cert.expiring");
        assertThat(rules.evaluate(cert(clock.instant().plus(Duration.ofDays(30)))))
                .extracting(Alert::rule).containsExactly("cert.expiring");
        assertThat(rules.evaluate(cert(clock.instant().plus(Duration.ofDays(31))))).isEmpty();
    }

    @Test
    void aFailedChainVerificationRaisesAnAlertAnIntactOneDoesNot() {
        StreamId stream = new StreamId("broker-1");
        VerificationResult intact = new VerificationResult(List.of(
                new StreamVerification(stream, 10, 1, 10, 1, 10, java.util.Optional.empty())));
        VerificationResult broken = new VerificationResult(List.of(new StreamVerification(stream, 10, 1, 10, 1, 10, java.util.Optional.of(
                new Problem(Problem.Kind.EDITED, stream, 7, "event bytes do not match the hash")))));

        assertThat(rules.evaluate(intact)).isEmpty();
        assertThat(rules.evaluate(broken)).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo("audit.chain-broken");
            assertThat(a.severity()).isEqualTo(Alert.Severity.CRITICAL);
            assertThat(a.summary()).contains("EDITED", "broker-1", "seq 7");
            assertThat(a.tenant()).isEqualTo(new TenantId("default"));
        });
    }

    @Test
    void alertEventsNeverFeedARule() {
        for (int i = 0; i < 10; i++) {
            assertThat(rules.evaluate(event("alert.raised", "audit-alerts", null, "alert:auth.lockout", Outcome.SUCCESS,
                    clock.instant(), Map.of()))).isEmpty();
        }
    }

    private AuditEvent login(String user, String source, Outcome outcome) {
        return event("auth.login", user, source, null, outcome, clock.instant(), Map.of());
    }

    private AuditEvent denied(String topic) {
        return event("acl.denied", "mallory", "192.0.2.66", topic, Outcome.DENIED, clock.instant(), Map.of());
    }

    private AuditEvent cert(Instant notAfter) {
        return event("cert.expiring", "node", null, "mqtt-server", Outcome.FAILURE, clock.instant(),
                Map.of("notAfter", notAfter.toString()));
    }

    private static AuditEvent event(String type, String actor, String source, String target, Outcome outcome, Instant time,
                                    Map<String, String> details) {
        return new AuditEvent(UUID.randomUUID(), time, type, AuditEvent.Actor.user(actor), source, new TenantId("acme"),
                target, outcome, null, details);
    }
}
