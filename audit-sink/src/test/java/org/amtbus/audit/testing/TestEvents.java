package org.amtbus.audit.testing;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.amtbus.audit.chain.StreamId;
import org.amtbus.audit.store.IncomingEvent;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.AuditEvent;

/** Audit events for tests: valid, distinct, with increasing times. Thread-safe. */
public final class TestEvents {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final AtomicLong COUNTER = new AtomicLong();

    private TestEvents() {
    }

    public static AuditEvent event(String type, String user) {
        long n = COUNTER.incrementAndGet();
        return new AuditEvent(UUID.randomUUID(), START.plusMillis(n), type, AuditEvent.Actor.user(user),
                "192.0.2.7", null, "amtbus/devices/x", AuditEvent.Outcome.SUCCESS, null, Map.of("n", Long.toString(n)));
    }

    public static AuditEvent event() {
        return event("auth.login", "alice");
    }

    public static IncomingEvent incoming(String stream, AuditEvent event) {
        return new IncomingEvent(new StreamId(stream), Json.write(event), event);
    }

    public static IncomingEvent incoming(String stream) {
        return incoming(stream, event());
    }
}
