package org.amtbus.audit.store;

import java.sql.SQLException;

/** The audit database could not be read or written; the message names what, never an event's content. */
public final class AuditStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AuditStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The SQLState of the cause, or null when there is none. */
    public String sqlState() {
        return getCause() instanceof SQLException sql ? sql.getSQLState() : null;
    }

    /**
     * Whether the database refused a value (SQLState class 22, data exception): retrying the same
     * data cannot succeed, unlike a lost connection or a race on a key.
     */
    public boolean refusedData() {
        String state = sqlState();
        return state != null && state.startsWith("22");
    }
}
