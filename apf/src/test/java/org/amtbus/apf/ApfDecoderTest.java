package org.amtbus.apf;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import org.amtbus.apf.ApfMessage.KeepAliveRequest;
import org.amtbus.apf.ApfMessage.RequestSuccess;
import org.amtbus.apf.ApfMessage.UserAuthFailure;
import org.junit.jupiter.api.Test;

import static org.amtbus.apf.ApfSamples.encode;
import static org.amtbus.apf.ApfSamples.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApfDecoderTest {

    /** Every sample except the bare REQUEST_SUCCESS, whose layout depends on context. */
    private static List<ApfMessage> session() {
        return ApfSamples.all();
    }

    private static byte[] wire(List<ApfMessage> messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        messages.forEach(m -> out.writeBytes(encode(m)));
        return out.toByteArray();
    }

    private static List<ApfMessage> drain(EmbeddedChannel channel) {
        List<ApfMessage> out = new ArrayList<>();
        for (Object o; (o = channel.readInbound()) != null; ) {
            out.add((ApfMessage) o);
        }
        return out;
    }

    @Test
    void decodesIdenticallyWhereverTheStreamIsSplit() {
        // given a whole session as one byte stream
        byte[] wire = wire(session());

        for (int split = 0; split <= wire.length; split++) {
            EmbeddedChannel channel = new EmbeddedChannel(new ApfDecoder());

            // when it arrives in two reads split at this byte
            channel.writeInbound(Unpooled.wrappedBuffer(wire, 0, split));
            channel.writeInbound(Unpooled.wrappedBuffer(wire, split, wire.length - split));

            // then
            assertThat(drain(channel)).as("split at %d", split).isEqualTo(session());
            assertThat(channel.finish()).isFalse();
        }
    }

    @Test
    void decodesIdenticallyOneByteAtATime() {
        // given
        byte[] wire = wire(session());
        EmbeddedChannel channel = new EmbeddedChannel(new ApfDecoder());

        // when
        for (byte b : wire) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }

        // then
        assertThat(drain(channel)).isEqualTo(session());
        channel.finishAndReleaseAll();
    }

    @Test
    void toleratesMpsFifteenByteUserAuthFailure() {
        // given MPS's USERAUTH_FAILURE with its extra zero, then a keepalive
        EmbeddedChannel channel = new EmbeddedChannel(new ApfDecoder());

        // when the padding arrives in a later read than the failure
        channel.writeInbound(Unpooled.wrappedBuffer(hex("33 00000008 \"password\" 00")));
        channel.writeInbound(Unpooled.wrappedBuffer(hex("00 D0 00000001")));

        // then
        assertThat(drain(channel)).containsExactly(UserAuthFailure.passwordOnly(), new KeepAliveRequest(1));
        channel.finishAndReleaseAll();
    }

    @Test
    void readsBareRequestSuccessWhenTheDeviceAwaitsACancelReply() {
        // given a device that sent cancel-tcpip-forward
        ApfDecoder decoder = new ApfDecoder();
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        decoder.expectRequestSuccessWithPort(false);

        // when
        channel.writeInbound(Unpooled.wrappedBuffer(hex("51 D0 00000001")));

        // then
        assertThat(drain(channel)).containsExactly(RequestSuccess.bare(), new KeepAliveRequest(1));
        channel.finishAndReleaseAll();
    }

    @Test
    void failsOnceWithTheReasonThenDiscardsEverything() {
        // given
        EmbeddedChannel channel = new EmbeddedChannel(new ApfDecoder());

        // when garbage follows a valid keepalive
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(hex("D0 00000001 FA 01 02"))))
                .isInstanceOfSatisfying(ApfProtocolException.class, e ->
                        assertThat(e.reason()).isEqualTo(ApfProtocolException.Reason.UNKNOWN_MESSAGE_TYPE));
        channel.writeInbound(Unpooled.wrappedBuffer(encode(new KeepAliveRequest(2))));

        // then the message before the garbage was delivered, nothing after it
        assertThat(drain(channel)).containsExactly(new KeepAliveRequest(1));
        channel.finishAndReleaseAll();
    }

    @Test
    void encoderWritesExactlyTheCodecBytes() {
        // given
        EmbeddedChannel channel = new EmbeddedChannel(new ApfEncoder());

        // when
        for (ApfMessage m : session()) {
            channel.writeOutbound(m);
        }

        // then
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        for (io.netty.buffer.ByteBuf b; (b = channel.readOutbound()) != null; ) {
            written.writeBytes(io.netty.buffer.ByteBufUtil.getBytes(b));
            b.release();
        }
        assertThat(written.toByteArray()).isEqualTo(wire(session()));
        channel.finishAndReleaseAll();
    }
}
