package org.amtbus.wsman.activation;

import java.util.Objects;
import java.util.OptionalInt;
import org.amtbus.wsman.client.FailureKind;

/**
 * The outcome of one {@link ActivationStep}. {@link Done} carries the step's value (null for steps that
 * only succeed or fail). {@link Failed} carries the kind, the AMT ReturnValue when the device answered with
 * a non-zero one ({@link FailureKind#DEVICE_REFUSED}), and a reason that names the step and the code's
 * meaning and never contains a password, hash or key.
 */
public sealed interface StepOutcome<T> {

    ActivationStep step();

    default boolean succeeded() {
        return this instanceof Done<T>;
    }

    record Done<T>(ActivationStep step, T value) implements StepOutcome<T> {
        public Done {
            Objects.requireNonNull(step, "step");
        }
    }

    record Failed<T>(ActivationStep step, FailureKind kind, OptionalInt returnValue, String reason)
            implements StepOutcome<T> {
        public Failed {
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(returnValue, "returnValue");
            if (reason == null || reason.isEmpty()) {
                throw new IllegalArgumentException("a failure needs a reason");
            }
        }

        /** The same failure typed for another value (to pass it up a sequence). */
        public <U> Failed<U> cast() {
            return new Failed<>(step, kind, returnValue, reason);
        }
    }
}
