package org.amtbus.apf;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;
import java.util.Optional;

/**
 * Turns the decrypted byte stream of one CIRA connection into {@link ApfMessage}s, one per whole message,
 * however the bytes were split or coalesced by TCP and TLS.
 *
 * <p>On bad input it raises {@link ApfProtocolException} once (Netty passes it unwrapped to
 * {@code exceptionCaught}, where the handler closes the connection with its reason) and then discards
 * everything that still arrives: APF has no framing to resynchronise on. While waiting for the rest of a
 * message it holds at most {@link ApfLimits#MAX_FRAME_LENGTH} bytes.
 *
 * <p>Not sharable: one instance per channel, called on that channel's event loop only.
 */
public final class ApfDecoder extends ByteToMessageDecoder {

    private boolean failed;
    private boolean afterUserAuthFailure;
    private boolean requestSuccessCarriesPort = true;

    /**
     * For the device side: how to read the next REQUEST_SUCCESS. Pass {@code false} after sending
     * {@code cancel-tcpip-forward} and {@code true} again once its reply has been read.
     */
    public void expectRequestSuccessWithPort(boolean carriesPort) {
        this.requestSuccessCarriesPort = carriesPort;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            while (in.isReadable()) {
                if (afterUserAuthFailure) {
                    ApfCodec.skipUserAuthFailurePadding(in);
                    afterUserAuthFailure = false;
                    continue;
                }
                Optional<ApfMessage> message = ApfCodec.decode(in, requestSuccessCarriesPort);
                if (message.isEmpty()) {
                    return;
                }
                afterUserAuthFailure = message.get() instanceof ApfMessage.UserAuthFailure;
                out.add(message.get());
                if (ctx.isRemoved()) {
                    return;
                }
            }
        } catch (ApfProtocolException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }
}
