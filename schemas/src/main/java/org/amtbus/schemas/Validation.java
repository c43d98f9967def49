package org.amtbus.schemas;

import java.util.List;
import java.util.Objects;

/** The outcome of {@link SchemaValidator#validate}: a bound record, or the reasons it was refused. */
public sealed interface Validation {

    /** The payload met its schema and bound to its record (e.g. a {@code Command}). */
    record Valid(Record payload) implements Validation {
        public Valid {
            Objects.requireNonNull(payload, "payload");
        }
    }

    /** The payload was refused; {@code errors} is non-empty and sorted by pointer. */
    record Invalid(List<FieldError> errors) implements Validation {
        public Invalid {
            errors = List.copyOf(errors);
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("an invalid result needs at least one error");
            }
        }

        /** The first error, e.g. for the {@code field} and {@code reason} of a rejected result. */
        public FieldError first() {
            return errors.getFirst();
        }
    }

    default boolean isValid() {
        return this instanceof Valid;
    }
}
