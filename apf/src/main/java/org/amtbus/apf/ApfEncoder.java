package org.amtbus.apf;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes {@link ApfMessage}s with {@link ApfCodec#encode}, allocating exactly the message's size.
 * Stateless and {@link ChannelHandler.Sharable}; runs on the event loop of the channel it writes to.
 */
@ChannelHandler.Sharable
public final class ApfEncoder extends MessageToByteEncoder<ApfMessage> {

    public ApfEncoder() {
        super(ApfMessage.class);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, ApfMessage msg, boolean preferDirect) {
        int size = ApfCodec.encodedLength(msg);
        return preferDirect ? ctx.alloc().ioBuffer(size, size) : ctx.alloc().heapBuffer(size, size);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ApfMessage msg, ByteBuf out) {
        ApfCodec.encode(msg, out);
    }
}
