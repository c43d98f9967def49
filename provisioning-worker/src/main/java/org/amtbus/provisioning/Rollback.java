package org.amtbus.provisioning;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one provisioning run made, to be undone in reverse order if a later step fails. An undo that
 * fails stops the rollback (what was made before it stays, so nothing is deleted that the failed undo still
 * needs, e.g. the admin password of a device that could not be unprovisioned). Not thread-safe: one run.
 */
final class Rollback {

    private static final Logger LOG = LoggerFactory.getLogger(Rollback.class);

    /** One undo; {@code what} names it in statuses and logs. */
    interface Undo {
        void run() throws Exception;
    }

    private record Entry(String what, Undo undo) {
    }

    /** What {@link #run} did: the undone steps, and the one that failed with its reason, if any. */
    record Report(List<String> undone, String failed, String failure) {
        boolean complete() {
            return failed == null;
        }

        String describe() {
            String done = undone.isEmpty() ? "nothing to undo" : "undone: " + String.join(", ", undone);
            return complete() ? done : done + "; could not undo " + failed + " (" + failure + "), kept: the rest";
        }
    }

    private final Deque<Entry> entries = new ArrayDeque<>();

    void add(String what, Undo undo) {
        entries.push(new Entry(what, undo));
    }

    Report run(String guid) {
        List<String> undone = new ArrayList<>();
        while (!entries.isEmpty()) {
            Entry e = entries.pop();
            try {
                e.undo().run();
                undone.add(e.what());
            } catch (Exception ex) {
                String reason = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
                LOG.error("event=provisioning.rollback-failed guid={} undo={} reason={}", guid, e.what(), reason);
                return new Report(undone, e.what(), reason);
            }
        }
        return new Report(undone, null, null);
    }
}
