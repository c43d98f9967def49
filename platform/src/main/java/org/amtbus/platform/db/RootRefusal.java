package org.amtbus.platform.db;

import com.sun.security.auth.module.UnixSystem;

/**
 * Refuses to start embedded PostgreSQL when the JVM runs as root. PostgreSQL itself refuses, but
 * only after initdb has half-built a data directory and with a stack trace through zonky; this
 * turns it into one line the operator can act on.
 *
 * <p>Stateless; any thread.
 */
final class RootRefusal {

    static final String MESSAGE =
            "embedded PostgreSQL cannot run as root; run amtbus as an unprivileged user (./amtbus does this for you)";

    private static final long ROOT_UID = 0;

    private RootRefusal() {
    }

    /** Throws {@link IllegalStateException} with {@link #MESSAGE} when {@code uid} is root's. */
    static void requireNotRoot(long uid) {
        if (uid == ROOT_UID) {
            throw new IllegalStateException(MESSAGE);
        }
    }

    /** The effective uid of this JVM, or -1 where there is no Unix uid (then nothing is refused). */
    static long currentUid() {
        try {
            return new UnixSystem().getUid();
        } catch (LinkageError | RuntimeException notUnix) {
            return -1;
        }
    }

    static void requireCurrentUserNotRoot() {
        requireNotRoot(currentUid());
    }
}
