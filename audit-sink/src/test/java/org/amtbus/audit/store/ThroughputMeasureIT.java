package org.amtbus.audit.store;

import java.util.ArrayList;
import java.util.List;
import org.amtbus.audit.chain.StreamId;
import org.amtbus.audit.testing.AuditDatabase;
import org.amtbus.audit.testing.TestEvents;
import org.amtbus.audit.verify.AuditVerifier;
import org.amtbus.audit.verify.VerificationResult;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.SchemaType;
import org.amtbus.schemas.SchemaValidator;
import org.amtbus.schemas.Validation;
import org.amtbus.schemas.model.AuditEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a timed test (it asserts nothing about speed): prints how fast events are validated, chained and
 * stored in batches of 500 over three streams, and how fast the verifier reads them back. Off unless
 * {@code -Daudit.measure=true}; see docs/audit.md for the command and the figures.
 */
@EnabledIfSystemProperty(named = "audit.measure", matches = "true")
class ThroughputMeasureIT {

    @Test
    void measure() {
        try (AuditDatabase db = AuditDatabase.create()) {
            AuditStore store = new AuditStore(db.dataSource());
            SchemaValidator validator = new SchemaValidator();
            int batch = 500;
            int batches = 400;
            List<List<byte[]>> raw = new ArrayList<>();
            for (int b = 0; b < batches + 40; b++) {
                List<byte[]> list = new ArrayList<>();
                for (int i = 0; i < batch; i++) {
                    list.add(Json.write(TestEvents.event("auth.login", "alice")));
                }
                raw.add(list);
            }
            StreamId[] streams = {new StreamId("broker-1"), new StreamId("gateway-1"), new StreamId("router-1")};
            long start = 0;
            long validating = 0;
            long storing = 0;
            for (int b = 0; b < raw.size(); b++) {
                if (b == 40) {
                    start = System.nanoTime();
                    validating = 0;
                    storing = 0;
                }
                long t0 = System.nanoTime();
                List<IncomingEvent> events = new ArrayList<>(batch);
                int i = 0;
                for (byte[] bytes : raw.get(b)) {
                    Validation v = validator.validate(SchemaType.AUDIT_EVENT, bytes);
                    events.add(new IncomingEvent(streams[i++ % 3], bytes, (AuditEvent) ((Validation.Valid) v).payload()));
                }
                long t1 = System.nanoTime();
                store.append(events, List.of());
                validating += t1 - t0;
                storing += System.nanoTime() - t1;
            }
            System.out.printf("audit-measure: validate %.0f ns/event, chain+store %.0f ns/event%n",
                    validating / (double) (batches * batch), storing / (double) (batches * batch));
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf("audit-measure: validated+chained+stored: %d events in %.2f s = %.0f events/s%n",
                    batches * batch, secs, batches * batch / secs);
            long vs = System.nanoTime();
            VerificationResult result = new AuditVerifier(db.dataSource()).verify();
            double vsecs = (System.nanoTime() - vs) / 1e9;
            System.out.printf("audit-measure: verify: %d events in %.2f s = %.0f events/s intact=%s%n",
                    result.events(), vsecs, result.events() / vsecs, result.intact());
        }
    }
}
