package org.amtbus.broker.auth;

import java.util.Arrays;
import java.util.Objects;

/**
 * Hands a login verdict reached off the event loop to Moquette's synchronous {@link SessionAuthenticator}.
 *
 * <p>The connect gate lets a checked CONNECT through to Moquette inside {@link #deliver}, on the channel's
 * event loop; Moquette calls the authenticator in that same call, on that same thread, so a thread-confined
 * slot carries the verdict exactly to the CONNECT it belongs to. Invariant: a verdict is readable only during
 * its {@code deliver} call and only for the username and password it was reached for; without one, the
 * authenticator refuses (a CONNECT that bypassed the gate is never admitted).
 */
public final class ConnectVerdicts {

    private record Verdict(String username, byte[] password, boolean accepted) {
    }

    private final ThreadLocal<Verdict> current = new ThreadLocal<>();

    /**
     * Runs {@code forward} (which passes the CONNECT on to Moquette) with the verdict for these credentials
     * readable by the authenticator. Call it on the channel's event loop.
     */
    public void deliver(String username, byte[] password, boolean accepted, Runnable forward) {
        current.set(new Verdict(username, password, accepted));
        try {
            forward.run();
        } finally {
            current.remove();
        }
    }

    /**
     * The verdict for these credentials, if one is being delivered on this thread; empty otherwise. Consumed:
     * a second CONNECT in the same call gets nothing.
     */
    java.util.Optional<Boolean> take(String username, byte[] password) {
        Verdict verdict = current.get();
        current.remove();
        if (verdict == null || !Objects.equals(verdict.username(), username) || !Arrays.equals(verdict.password(), password)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(verdict.accepted());
    }
}
