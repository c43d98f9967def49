package org.amtbus.wsman.client;

/** Why a WS-Man exchange or a catalogue command failed. */
public enum FailureKind {
    /** The device refused the credentials (a 401 to a request that carried them). */
    AUTH_FAILED,
    /** The device answered with a SOAP fault. */
    FAULT,
    /** No complete answer in time. */
    TIMEOUT,
    /** Malformed HTTP or XML, or an answer that does not fit the request. */
    PROTOCOL,
    /** The connection could not be opened or closed before the answer was complete. */
    TRANSPORT,
    /** The device answered, but the method's ReturnValue was not 0. */
    DEVICE_REFUSED
}
