package org.amtbus.apf;

import io.netty.handler.codec.DecoderException;

import java.util.Objects;

/**
 * Bad APF input: the one exception the codec throws for anything a peer sends. The connection that
 * produced it cannot be resynchronised (APF has no framing of its own), so the handler closes it,
 * logs {@link #getMessage()} and counts {@link #reason()}.
 *
 * <p>Messages never contain field values that could be secret (passwords, channel payloads); they name
 * the message type and the offending length or code only.
 *
 * <p>It extends Netty's {@link DecoderException} so that {@code ByteToMessageDecoder} passes it to the
 * pipeline unwrapped.
 */
public final class ApfProtocolException extends DecoderException {

    private static final long serialVersionUID = 1L;

    /** Why a frame was refused; a small fixed set, usable as a metric label. */
    public enum Reason {
        /** A type byte that is not in the APF message table. */
        UNKNOWN_MESSAGE_TYPE,
        /** A {@code str} longer than {@link ApfLimits#MAX_STRING_LENGTH}. */
        STRING_TOO_LONG,
        /** A data length over {@link ApfLimits#MAX_CHANNEL_DATA_LENGTH} or {@link ApfLimits#MAX_UDP_DATA_LENGTH}. */
        DATA_TOO_LONG,
        /** A {@code str} that is not well-formed UTF-8. */
        MALFORMED_STRING,
        /** A field value the layout or the model does not allow (a port over 65535, a password change). */
        INVALID_FIELD,
        /** A well-formed message the session does not allow in its current state (see {@link ApfSession}). */
        UNEXPECTED_MESSAGE,
        /** A channel message for a channel id that is not open. */
        UNKNOWN_CHANNEL,
        /** CHANNEL_DATA beyond the window we advertised, or a window grown past 2^32-1. */
        WINDOW_EXCEEDED
    }

    private final Reason reason;

    public ApfProtocolException(Reason reason, String message) {
        super(Objects.requireNonNull(reason, "reason") + ": " + message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
