package org.amtbus.wsman.http;

/**
 * Bad HTTP input: the one exception the framing code throws. The message is a short reason fit for a log
 * line; it never quotes header values (they may carry credentials).
 */
public final class HttpProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    public HttpProtocolException(String reason) {
        super(reason);
    }
}
