package org.amtbus.wsman.client;

import java.util.Map;

/** The outcome of one catalogue command, ready for {@code CommandResult}. */
public sealed interface CommandOutcome {

    /** @param output at most a handful of scalar values, e.g. {@code {"powerState":"on"}} */
    record Succeeded(Map<String, Object> output) implements CommandOutcome {
        public Succeeded {
            output = Map.copyOf(output);
        }
    }

    record Failed(FailureKind kind, String reason) implements CommandOutcome {
        public Failed {
            if (kind == null || reason == null || reason.isEmpty()) {
                throw new IllegalArgumentException("a failure needs a kind and a reason");
            }
        }
    }
}
