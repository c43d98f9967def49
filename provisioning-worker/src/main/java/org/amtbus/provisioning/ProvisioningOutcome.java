package org.amtbus.provisioning;

import java.util.Objects;

/**
 * How a provisioning request or a deactivation ended. {@code SUCCEEDED} (also for a repeat of a request
 * already applied: {@code alreadyDone}), {@code REFUSED} (nothing was changed: unknown profile, no domain,
 * untrusted root, busy or otherwise provisioned device), {@code FAILED} (a step failed; what it made was
 * rolled back, or {@code reason} says what was kept and why). {@code step} names the step that decided;
 * {@code reason} never holds a secret.
 */
public record ProvisioningOutcome(Result result, String step, String reason, boolean alreadyDone) {

    public enum Result { SUCCEEDED, REFUSED, FAILED }

    public ProvisioningOutcome {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(step, "step");
        if (result != Result.SUCCEEDED && (reason == null || reason.isEmpty())) {
            throw new IllegalArgumentException("a refusal or failure needs a reason");
        }
    }

    public boolean succeeded() {
        return result == Result.SUCCEEDED;
    }
}
