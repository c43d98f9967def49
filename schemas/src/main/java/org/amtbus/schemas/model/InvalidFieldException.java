package org.amtbus.schemas.model;

/**
 * Thrown by a payload record's constructor when a field breaks the v1 contract. {@link #field()} names
 * the field relative to the record (e.g. {@code reason}, {@code actor/name}); the message never echoes
 * the offending value, so it is safe to log and to return to the sender.
 */
public final class InvalidFieldException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public InvalidFieldException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The failing field, as a relative JSON pointer without the leading slash. */
    public String field() {
        return field;
    }

    /** The reason without the field prefix. */
    public String reason() {
        return getMessage().substring(field.length() + 2);
    }
}
