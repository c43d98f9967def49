package org.amtbus.sim.amt;

/** Faults a test can switch on in {@link AmtWebService}. */
public enum Misbehaviour {
    /** Responses go through the service's {@link ResponseDelay} instead of being written at once. */
    SLOW,
    /** The service expects a different admin password, so every credential is refused. */
    WRONG_PASSWORD,
    /** Authenticated requests are answered with bytes that are not valid HTTP. */
    GARBAGE,
    /** Authenticated requests get half a response, then the connection closes. */
    VANISH
}
