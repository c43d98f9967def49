package org.amtbus.apf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.amtbus.apf.ApfMessage.*;

/** Shared test data: one or more sample of every APF message record, and byte helpers. */
final class ApfSamples {

    static final UUID FACTS_GUID = UUID.fromString("12345678-9abc-def0-1234-56789abcdef0");

    private ApfSamples() {
    }

    /** At least one instance of every record, in the order of a typical session. */
    static List<ApfMessage> all() {
        return List.of(
                new ProtocolVersion(1, 0, ProtocolVersion.TRIGGER_PERIODIC, FACTS_GUID),
                new ServiceRequest(ServiceRequest.AUTH),
                new ServiceAccept(ServiceRequest.AUTH),
                UserAuthRequest.password("mpsuser", ServiceRequest.PFWD, "P@ssw0rd".getBytes(StandardCharsets.UTF_8)),
                new UserAuthRequest("mpsuser", ServiceRequest.PFWD, "none", new byte[0]),
                UserAuthFailure.passwordOnly(),
                new UserAuthSuccess(),
                new ServiceRequest(ServiceRequest.PFWD),
                new TcpipForward(true, "amt-sim", 16992),
                RequestSuccess.forPort(16992),
                new CancelTcpipForward(true, "amt-sim", 16992),
                new UdpSendTo(false, "10.0.0.1", 623, "10.0.0.2", 1024, new byte[] {1, 2, 3}),
                new UnknownGlobalRequest("keepalive@openssh.com", false),
                new RequestFailure(),
                new KeepAliveOptionsRequest(30, 0),
                new KeepAliveOptionsReply(30, 0),
                new ChannelOpen(ChannelOpen.FORWARDED_TCPIP, 4, 32768, "", 16992, "1.2.3.4", 1024),
                new ChannelOpenConfirmation(4, 1, 4096),
                new ChannelOpenFailure(5, ChannelOpenFailure.CONNECT_FAILED),
                new ChannelOpenFailure(6, ChannelOpenFailure.UNKNOWN_CHANNEL_TYPE, "no", "en"),
                new ChannelWindowAdjust(4, 16384),
                new ChannelData(1, "POST /wsman HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
                new ChannelData(1, new byte[0]),
                new ChannelClose(1),
                new KeepAliveRequest(0xABCD),
                new KeepAliveReply(0xFFFF_FFFFL),
                new Disconnect(Disconnect.BY_APPLICATION));
    }

    static byte[] encode(ApfMessage message) {
        ByteBuf buf = Unpooled.buffer();
        try {
            ApfCodec.encode(message, buf);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    /** Hex with any whitespace; quoted ASCII runs ("abc") are allowed for readability. */
    static byte[] hex(String spec) {
        StringBuilder hex = new StringBuilder();
        String[] parts = spec.split("\"", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i % 2 == 0) {
                hex.append(parts[i].replaceAll("\\s", ""));
            } else {
                hex.append(HexFormat.of().formatHex(parts[i].getBytes(StandardCharsets.US_ASCII)));
            }
        }
        return HexFormat.of().parseHex(hex.toString());
    }
}
