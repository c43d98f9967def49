package org.amtbus.gateway.cira;

import org.amtbus.apf.ApfLimits;
import org.amtbus.apf.ApfMessage;
import org.amtbus.apf.ApfProtocolException;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.UUID;

import org.amtbus.apf.ApfMessage.*;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of {@link ApfSession} with any order of device messages and gateway calls.
 * Messages are built from small value sets (channel ids near the ones we hand out, the WS-Man ports, the
 * real service names) so that the fuzzer reaches deep states quickly.
 *
 * <p>Properties: a device message either applies or is refused with {@link ApfProtocolException}, never
 * another exception; misuse of the gateway API is an {@link IllegalStateException} or
 * {@link IllegalArgumentException}; never more channels than configured; never a send beyond the credit.
 * Run in fuzzing mode like {@link ApfDecoderFuzzTest}, with {@code -Dtest=ApfSessionFuzzTest}.
 */
class ApfSessionFuzzTest {

    private static final int MAX_CHANNELS = 3;
    private static final String[] SERVICES = {ServiceRequest.AUTH, ServiceRequest.PFWD, "ssh-userauth"};
    private static final int[] PORTS = {16992, 16993, 5900, 0};

    @FuzzTest(maxDuration = "30s")
    void sessionRefusesOnlyWithProtocolExceptions(FuzzedDataProvider data) {
        ApfSession session = new ApfSession(new ApfSession.Config(MAX_CHANNELS, 4096));
        while (data.remainingBytes() > 0) {
            try {
                step(session, data);
            } catch (ApfProtocolException e) {
                return; // the connection would be closed here
            } catch (IllegalStateException | IllegalArgumentException e) {
                // the fuzzer called the gateway API out of turn; the session must stay usable
            }
            assertThat(session.openChannels()).isLessThanOrEqualTo(MAX_CHANNELS);
        }
    }

    private static void step(ApfSession session, FuzzedDataProvider data) {
        long channel = ApfSession.FIRST_CHANNEL_ID + data.consumeInt(-1, 4);
        switch (data.consumeInt(0, 19)) {
            case 0 -> session.receive(new ProtocolVersion(1, 0, 4, new UUID(data.consumeLong(), data.consumeLong())));
            case 1 -> session.receive(new ServiceRequest(data.pickValue(SERVICES)));
            case 2 -> session.receive(UserAuthRequest.password("u", ServiceRequest.PFWD, data.consumeBytes(8)));
            case 3 -> session.receive(new UserAuthRequest("u", ServiceRequest.PFWD, "none", new byte[0]));
            case 4 -> session.completeAuthentication(data.consumeBoolean());
            case 5 -> session.receive(new TcpipForward(true, "", data.pickValue(PORTS)));
            case 6 -> session.receive(new CancelTcpipForward(data.consumeBoolean(), "", data.pickValue(PORTS)));
            case 7 -> session.receive(new KeepAliveRequest(data.consumeInt() & 0xFFFF_FFFFL));
            case 8 -> session.receive(new KeepAliveOptionsReply(30, 0));
            case 9 -> session.openChannel(data.pickValue(PORTS), "", 1);
            case 10 -> session.receive(new ChannelOpenConfirmation(channel, data.consumeInt(0, 9),
                    data.consumeLong(0, ApfLimits.U32_MAX)));
            case 11 -> session.receive(new ChannelOpenFailure(channel, data.consumeInt(1, 4)));
            case 12 -> session.receive(new ChannelData(channel, new byte[data.consumeInt(0, 5000)]));
            case 13 -> session.receive(new ChannelWindowAdjust(channel, data.consumeLong(0, ApfLimits.U32_MAX)));
            case 14 -> session.receive(new ChannelClose(channel));
            case 15 -> session.consumed(channel, data.consumeInt(-1, 5000));
            case 16 -> session.close(channel);
            case 17 -> {
                int length = data.consumeInt(0, 5000);
                long credit = session.sendCredit(channel);
                session.send(channel, new byte[length]);
                assertThat(length).isLessThanOrEqualTo((int) Math.min(credit, Integer.MAX_VALUE));
            }
            case 18 -> session.receive(new UnknownGlobalRequest("x@y", data.consumeBoolean()));
            default -> session.receive(new ChannelOpen(ChannelOpen.DIRECT_TCPIP, channel, 4096, "", 80, "", 1));
        }
    }
}
