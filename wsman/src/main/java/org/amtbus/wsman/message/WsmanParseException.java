package org.amtbus.wsman.message;

/** The XML is not a well-formed, safe, WS-Man envelope. The message is a short reason. */
public final class WsmanParseException extends Exception {
    private static final long serialVersionUID = 1L;

    public WsmanParseException(String reason) {
        super(reason);
    }
}
