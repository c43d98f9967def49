package org.amtbus.audit.store;

/** The audit database could not be read or written; the message names what, never an event's content. */
public final class AuditStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AuditStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
