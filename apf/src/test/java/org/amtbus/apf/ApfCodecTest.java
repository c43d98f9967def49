package org.amtbus.apf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.amtbus.apf.ApfMessage.*;
import org.amtbus.apf.ApfProtocolException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.amtbus.apf.ApfSamples.encode;
import static org.amtbus.apf.ApfSamples.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApfCodecTest {

    static Stream<ApfMessage> samples() {
        return ApfSamples.all().stream();
    }

    @Test
    void samplesCoverEveryMessageTypeAndEveryRecord() {
        // given / when
        Set<ApfMessageType> types = samples().map(ApfMessage::type).collect(Collectors.toSet());
        Set<Class<?>> records = samples().map(Object::getClass).collect(Collectors.toSet());

        // then
        assertThat(types).isEqualTo(EnumSet.allOf(ApfMessageType.class));
        assertThat(records).containsAll(Arrays.stream(ApfMessage.class.getDeclaredClasses())
                .filter(Class::isRecord).toList());
    }

    @ParameterizedTest
    @MethodSource("samples")
    void roundTripsEveryMessageAndConsumesExactlyItsBytes(ApfMessage message) {
        // given
        byte[] wire = encode(message);
        ByteBuf in = Unpooled.wrappedBuffer(wire);

        // when
        Optional<ApfMessage> decoded = ApfCodec.decode(in, !(message instanceof RequestSuccess rs)
                || rs.boundPort().isPresent());

        // then
        assertThat(decoded).contains(message);
        assertThat(in.isReadable()).isFalse();
        assertThat(wire).hasSize(ApfCodec.encodedLength(message));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void waitsForMoreBytesOnEveryTruncationWithoutConsuming(ApfMessage message) {
        // given
        byte[] wire = encode(message);
        for (int cut = 0; cut < wire.length; cut++) {
            ByteBuf in = Unpooled.wrappedBuffer(wire, 0, cut);

            // when
            Optional<ApfMessage> decoded = ApfCodec.decode(in);

            // then
            assertThat(decoded).as("prefix of %d bytes", cut).isEmpty();
            assertThat(in.readerIndex()).isZero();
        }
    }

    static Stream<Arguments> factsSheetVectors() {
        return Stream.of(
                Arguments.of(new ProtocolVersion(1, 0, 4, ApfSamples.FACTS_GUID),
                        "C0 00000001 00000000 00000004 78563412BC9AF0DE123456789ABCDEF0" + "00".repeat(64), 93),
                Arguments.of(new ServiceRequest(ServiceRequest.AUTH), "05 00000012 \"auth@amt.intel.com\"", 23),
                Arguments.of(new ServiceAccept(ServiceRequest.AUTH), "06 00000012 \"auth@amt.intel.com\"", 23),
                Arguments.of(UserAuthRequest.password("mpsuser", ServiceRequest.PFWD,
                                "P@ssw0rd".getBytes(StandardCharsets.US_ASCII)),
                        "32 00000007 \"mpsuser\" 00000012 \"pfwd@amt.intel.com\" 00000008 \"password\" 00"
                                + " 00000008 \"P@ssw0rd\"", 59),
                Arguments.of(new UserAuthSuccess(), "34", 1),
                Arguments.of(UserAuthFailure.passwordOnly(), "33 00000008 \"password\" 00", 14),
                Arguments.of(new TcpipForward(true, "amt-sim", 16992),
                        "50 0000000D \"tcpip-forward\" 01 00000007 \"amt-sim\" 00004260", 34),
                Arguments.of(RequestSuccess.forPort(16992), "51 00004260", 5),
                Arguments.of(new RequestFailure(), "52", 1),
                Arguments.of(new ChannelOpen("forwarded-tcpip", 4, 32768, "", 16992, "1.2.3.4", 1024),
                        "5A 0000000F \"forwarded-tcpip\" 00000004 00008000 FFFFFFFF 00000000 00004260"
                                + " 00000007 \"1.2.3.4\" 00000400", 55),
                Arguments.of(new ChannelOpenConfirmation(4, 1, 4096), "5B 00000004 00000001 00001000 FFFFFFFF", 17),
                Arguments.of(new ChannelOpenFailure(4, 2), "5C 00000004 00000002 00000000 00000000", 17),
                Arguments.of(new ChannelWindowAdjust(4, 16384), "5D 00000004 00004000", 9),
                Arguments.of(new ChannelData(1, "hello".getBytes(StandardCharsets.US_ASCII)),
                        "5E 00000001 00000005 68656C6C6F", 14),
                Arguments.of(new ChannelClose(1), "61 00000001", 5),
                Arguments.of(new KeepAliveRequest(0xABCD), "D0 0000ABCD", 5),
                Arguments.of(new KeepAliveReply(0xABCD), "D1 0000ABCD", 5),
                Arguments.of(new KeepAliveOptionsRequest(30, 0), "D2 0000001E 00000000", 9),
                Arguments.of(new KeepAliveOptionsReply(30, 0), "D3 0000001E 00000000", 9),
                Arguments.of(new Disconnect(Disconnect.BY_APPLICATION), "01 0000000B 0000", 7));
    }

    @ParameterizedTest
    @MethodSource("factsSheetVectors")
    void matchesTheFactsSheetByteLayout(ApfMessage message, String wireHex, int length) {
        // given
        byte[] wire = hex(wireHex);

        // when
        byte[] encoded = encode(message);
        Optional<ApfMessage> decoded = ApfCodec.decode(Unpooled.wrappedBuffer(wire));

        // then
        assertThat(wire).hasSize(length);
        assertThat(encoded).isEqualTo(wire);
        assertThat(decoded).contains(message);
    }

    @Test
    void readsABareRequestSuccessWhenTheCallerExpectsACancelReply() {
        // given
        ByteBuf in = Unpooled.wrappedBuffer(hex("51"));

        // when
        Optional<ApfMessage> decoded = ApfCodec.decode(in, false);

        // then
        assertThat(decoded).contains(RequestSuccess.bare());
        assertThat(encode(RequestSuccess.bare())).isEqualTo(hex("51"));
    }

    @Test
    void decodesCoalescedMessagesOneAtATime() {
        // given two messages in one read
        ByteBuf in = Unpooled.wrappedBuffer(hex("D0 0000ABCD 61 00000001"));

        // when
        Optional<ApfMessage> first = ApfCodec.decode(in);
        Optional<ApfMessage> second = ApfCodec.decode(in);
        Optional<ApfMessage> third = ApfCodec.decode(in);

        // then
        assertThat(first).contains(new KeepAliveRequest(0xABCD));
        assertThat(second).contains(new ChannelClose(1));
        assertThat(third).isEmpty();
    }

    @Test
    void ignoresNonZeroReservedBytesOfProtocolVersion() {
        // given reserved bytes that are not zero
        byte[] wire = hex("C0 00000001 00000000 00000004 78563412BC9AF0DE123456789ABCDEF0" + "AA".repeat(64));

        // when / then: MPS never checks them, neither do we
        assertThat(ApfCodec.decode(Unpooled.wrappedBuffer(wire)))
                .contains(new ProtocolVersion(1, 0, 4, ApfSamples.FACTS_GUID));
    }

    static Stream<Arguments> badFrames() {
        return Stream.of(
                Arguments.of("type 0 is unknown", "00", Reason.UNKNOWN_MESSAGE_TYPE),
                Arguments.of("type 250 (MeshCentral JSON) is unknown", "FA 00000000", Reason.UNKNOWN_MESSAGE_TYPE),
                Arguments.of("a str of 2049 bytes is refused before its bytes arrive", "05 00000801",
                        Reason.STRING_TOO_LONG),
                Arguments.of("a str of 4 GiB is refused", "05 FFFFFFFF", Reason.STRING_TOO_LONG),
                Arguments.of("a password of 2049 bytes is refused",
                        "32 00000000 00000000 00000008 \"password\" 00 00000801", Reason.STRING_TOO_LONG),
                Arguments.of("CHANNEL_DATA over 1 MiB is refused before its bytes arrive", "5E 00000001 00100001",
                        Reason.DATA_TOO_LONG),
                Arguments.of("udp-send-to data over 65507 is refused",
                        "50 00000019 \"udp-send-to@amt.intel.com\" 00 00000000 00000000 00000000 00000000 0000FFE4",
                        Reason.DATA_TOO_LONG),
                Arguments.of("a port over 65535 is refused",
                        "50 0000000D \"tcpip-forward\" 01 00000000 00010000", Reason.INVALID_FIELD),
                Arguments.of("a password change (TRUE flag) is refused",
                        "32 00000000 00000000 00000008 \"password\" 01", Reason.INVALID_FIELD),
                Arguments.of("a str that is not UTF-8 is refused", "05 00000002 C328", Reason.MALFORMED_STRING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFrames")
    void refusesBadFramesWithAReason(String behaviour, String wireHex, Reason reason) {
        // given
        ByteBuf in = Unpooled.wrappedBuffer(hex(wireHex));

        // when / then
        assertThatThrownBy(() -> ApfCodec.decode(in))
                .isInstanceOfSatisfying(ApfProtocolException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.getMessage()).startsWith(reason.name() + ": ");
                });
    }

    @Test
    void skipsTheExtraZeroByteMpsSendsAfterUserAuthFailure() {
        // given MPS's 15-byte USERAUTH_FAILURE followed by nothing else yet
        ByteBuf in = Unpooled.wrappedBuffer(hex("33 00000008 \"password\" 00 00"));

        // when
        Optional<ApfMessage> failure = ApfCodec.decode(in);
        boolean skipped = ApfCodec.skipUserAuthFailurePadding(in);

        // then
        assertThat(failure).contains(UserAuthFailure.passwordOnly());
        assertThat(skipped).isTrue();
        assertThat(in.isReadable()).isFalse();
    }

    @Test
    void neverPrintsThePasswordOrChannelPayload() {
        // given
        UserAuthRequest auth = UserAuthRequest.password("u", ServiceRequest.PFWD,
                "S3cret!".getBytes(StandardCharsets.UTF_8));
        ChannelData data = new ChannelData(1, "Authorization: Digest x".getBytes(StandardCharsets.UTF_8));

        // when
        String printed = auth + " " + data;

        // then
        assertThat(printed).contains("[hidden]").contains("23 bytes")
                .doesNotContain("S3cret").doesNotContain("Digest");
    }

    @Test
    void copiesPasswordBytesInAndOut() {
        // given
        byte[] password = "pw".getBytes(StandardCharsets.UTF_8);
        UserAuthRequest auth = UserAuthRequest.password("u", ServiceRequest.PFWD, password);

        // when the caller wipes its arrays
        Arrays.fill(password, (byte) 0);
        Arrays.fill(auth.password(), (byte) 0);

        // then the record still holds the password
        assertThat(auth.password()).isEqualTo("pw".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void refusesRecordsThatCouldNotBeEncoded() {
        assertThatThrownBy(() -> new ServiceRequest("x".repeat(ApfLimits.MAX_STRING_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ServiceRequest("\uD800")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChannelClose(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChannelClose(1L << 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TcpipForward(true, "", 65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChannelData(1, new byte[ApfLimits.MAX_CHANNEL_DATA_LENGTH + 1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UserAuthRequest("u", "s", "none", new byte[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encodesTheLargestChannelDataWithinTheFrameLimit() {
        // given
        ChannelData largest = new ChannelData(1, new byte[ApfLimits.MAX_CHANNEL_DATA_LENGTH]);

        // when / then
        assertThat(ApfCodec.encodedLength(largest)).isEqualTo(ApfLimits.MAX_FRAME_LENGTH);
        assertThat(ApfCodec.decode(Unpooled.wrappedBuffer(encode(largest)))).contains(largest);
    }
}
