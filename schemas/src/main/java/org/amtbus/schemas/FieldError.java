package org.amtbus.schemas;

import java.util.Objects;

/**
 * One reason a payload was refused.
 *
 * @param pointer JSON pointer (RFC 6901) of the failing field, e.g. {@code /action} or
 *                {@code /params/x}; {@code ""} for the payload as a whole
 * @param message what is wrong, without echoing the offending value
 */
public record FieldError(String pointer, String message) {
    public FieldError {
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return (pointer.isEmpty() ? "(payload)" : pointer) + ": " + message;
    }
}
