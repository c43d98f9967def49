package org.amtbus.app;

/**
 * A start that cannot go on: bad configuration (exit code 2) or an environment problem such as a port
 * in use or an unwritable data directory (exit code 1). The message is one line naming the cause.
 */
public final class StartupException extends RuntimeException {

    public static final int CONFIGURATION = 2;
    public static final int ENVIRONMENT = 1;

    private final int exitCode;

    public StartupException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** Keeps the cause for the log and for test reports; the user still sees only the one line. */
    public StartupException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
