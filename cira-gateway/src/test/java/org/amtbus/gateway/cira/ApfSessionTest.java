package org.amtbus.gateway.cira;

import org.amtbus.apf.ApfMessage;
import org.amtbus.apf.ApfProtocolException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.amtbus.apf.ApfMessage.*;
import org.amtbus.apf.ApfProtocolException.Reason;
import org.amtbus.gateway.cira.ApfSession.Event;
import org.amtbus.gateway.cira.ApfSession.State;
import org.amtbus.gateway.cira.ApfSession.Step;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApfSessionTest {

    /** The GUID of the test vectors in amt-protocols.md. */
    private static final java.util.UUID FACTS_GUID = java.util.UUID.fromString("12345678-9abc-def0-1234-56789abcdef0");
    private static final ProtocolVersion HELLO = new ProtocolVersion(1, 0, 4, FACTS_GUID);
    private static final UserAuthRequest LOGIN = UserAuthRequest.password("mpsuser", ServiceRequest.PFWD,
            "P@ssw0rd".getBytes(StandardCharsets.UTF_8));
    private static final long DEVICE_WINDOW = 4096;

    private final ApfSession session = new ApfSession(new ApfSession.Config(2, 8192));

    private void authenticate() {
        session.receive(HELLO);
        session.receive(new ServiceRequest(ServiceRequest.AUTH));
        session.receive(LOGIN);
        session.completeAuthentication(true);
    }

    private void forward16992() {
        authenticate();
        session.receive(new ServiceRequest(ServiceRequest.PFWD));
        session.receive(new TcpipForward(true, "amt-sim", 16992));
    }

    /** Opens and confirms a channel; the device's id for it is ours + 100. */
    private long openChannel() {
        long id = session.openChannel(16992, "127.0.0.1", 1024).senderChannel();
        session.receive(new ChannelOpenConfirmation(id, id + 100, DEVICE_WINDOW));
        return id;
    }

    private static void assertViolation(Runnable action, Reason reason) {
        assertThatThrownBy(action::run).isInstanceOfSatisfying(ApfProtocolException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void asksForKeepAlivesWellUnderTheIdleTimeout() {
        assertThat(new ApfSession.Config(2, 8192).keepingAliveWithin(java.time.Duration.ofSeconds(90)).keepAliveSeconds())
                .isEqualTo(ApfSession.KEEPALIVE_INTERVAL_SECONDS);
        ApfSession shortIdle = new ApfSession(new ApfSession.Config(2, 8192).keepingAliveWithin(java.time.Duration.ofSeconds(3)));
        shortIdle.receive(HELLO);
        shortIdle.receive(new ServiceRequest(ServiceRequest.AUTH));
        shortIdle.receive(LOGIN);
        shortIdle.completeAuthentication(true);
        shortIdle.receive(new ServiceRequest(ServiceRequest.PFWD));
        Step forward = shortIdle.receive(new TcpipForward(true, "amt-sim", 16992));
        assertThat(forward.replies()).contains(new KeepAliveOptionsRequest(1, 0));
    }

    @Test
    void walksTheHandshakeAndForwardsAWsmanPort() {
        // given / when the device logs in as AMT does
        Step hello = session.receive(HELLO);
        Step auth = session.receive(new ServiceRequest(ServiceRequest.AUTH));
        Step login = session.receive(LOGIN);
        Step success = session.completeAuthentication(true);
        Step pfwd = session.receive(new ServiceRequest(ServiceRequest.PFWD));
        Step forward = session.receive(new TcpipForward(true, "amt-sim", 16993));

        // then
        assertThat(hello.replies()).isEmpty();
        assertThat(hello.events()).containsExactly(new Event.DeviceIdentified(FACTS_GUID, 1, 0, 4));
        assertThat(auth.replies()).containsExactly(new ServiceAccept(ServiceRequest.AUTH));
        assertThat(login.replies()).isEmpty();
        assertThat(login.events()).containsExactly(new Event.AuthenticationRequested(FACTS_GUID,
                "mpsuser", "P@ssw0rd".getBytes(StandardCharsets.UTF_8)));
        assertThat(success.replies()).containsExactly(new UserAuthSuccess());
        assertThat(pfwd.replies()).containsExactly(new ServiceAccept(ServiceRequest.PFWD));
        assertThat(forward.replies()).containsExactly(RequestSuccess.forPort(16993),
                new KeepAliveOptionsRequest(ApfSession.KEEPALIVE_INTERVAL_SECONDS, 0));
        assertThat(forward.events()).containsExactly(new Event.PortForwarded(16993));
        assertThat(session.state()).isEqualTo(State.FORWARDING);
        assertThat(session.forwardedPorts()).containsExactly(16993);
    }

    @Test
    void refusesEverythingBeforeProtocolVersion() {
        assertViolation(() -> session.receive(new ServiceRequest(ServiceRequest.AUTH)), Reason.UNEXPECTED_MESSAGE);
        assertViolation(() -> session.receive(new KeepAliveRequest(1)), Reason.UNEXPECTED_MESSAGE);
    }

    @Test
    void refusesPortForwardingBeforeAuthentication() {
        // given a device that skipped USERAUTH
        session.receive(HELLO);
        session.receive(new ServiceRequest(ServiceRequest.AUTH));

        // when / then (MPS would accept these)
        assertViolation(() -> session.receive(new ServiceRequest(ServiceRequest.PFWD)), Reason.UNEXPECTED_MESSAGE);
        assertViolation(() -> session.receive(new TcpipForward(true, "", 16992)), Reason.UNEXPECTED_MESSAGE);
    }

    @Test
    void refusesForwardingWhileThePasswordIsBeingChecked() {
        // given
        session.receive(HELLO);
        session.receive(new ServiceRequest(ServiceRequest.AUTH));
        session.receive(LOGIN);

        // when / then
        assertViolation(() -> session.receive(new ServiceRequest(ServiceRequest.PFWD)), Reason.UNEXPECTED_MESSAGE);
        assertThat(session.state()).isEqualTo(State.AUTHENTICATING);
    }

    @Test
    void answersAWrongPasswordWithFailureAndAllowsARetry() {
        // given
        session.receive(HELLO);
        session.receive(new ServiceRequest(ServiceRequest.AUTH));
        session.receive(LOGIN);

        // when
        Step failure = session.completeAuthentication(false);
        Step retry = session.receive(LOGIN);

        // then
        assertThat(failure.replies()).containsExactly(UserAuthFailure.passwordOnly());
        assertThat(retry.events()).hasSize(1).first().isInstanceOf(Event.AuthenticationRequested.class);
    }

    @Test
    void closesAfterTooManyPasswordAttempts() {
        // given
        session.receive(HELLO);
        session.receive(new ServiceRequest(ServiceRequest.AUTH));
        for (int i = 0; i < ApfSession.MAX_AUTH_ATTEMPTS; i++) {
            session.receive(LOGIN);
            session.completeAuthentication(false);
        }

        // when / then
        assertViolation(() -> session.receive(LOGIN), Reason.UNEXPECTED_MESSAGE);
    }

    @Test
    void answersOtherAuthMethodsWithFailure() {
        // given
        session.receive(HELLO);
        session.receive(new ServiceRequest(ServiceRequest.AUTH));

        // when
        Step none = session.receive(new UserAuthRequest("u", ServiceRequest.PFWD, "none", new byte[0]));

        // then
        assertThat(none.replies()).containsExactly(UserAuthFailure.passwordOnly());
        assertThat(none.events()).isEmpty();
    }

    @Test
    void refusesForwardsOfNonWsmanPortsWithRequestFailure() {
        // given
        authenticate();
        session.receive(new ServiceRequest(ServiceRequest.PFWD));

        // when
        Step vnc = session.receive(new TcpipForward(true, "", 5900));

        // then
        assertThat(vnc.replies()).containsExactly(new RequestFailure());
        assertThat(session.forwardedPorts()).isEmpty();
    }

    @Test
    void asksForKeepAliveOptionsOnlyOnce() {
        // given
        forward16992();

        // when
        Step second = session.receive(new TcpipForward(true, "", 16993));
        Step reply = session.receive(new KeepAliveOptionsReply(30, 0));

        // then
        assertThat(second.replies()).containsExactly(RequestSuccess.forPort(16993));
        assertThat(reply.replies()).isEmpty();
    }

    @Test
    void echoesTheKeepAliveCookie() {
        // given
        session.receive(HELLO);

        // when
        Step step = session.receive(new KeepAliveRequest(0xABCD));

        // then
        assertThat(step.replies()).containsExactly(new KeepAliveReply(0xABCD));
    }

    @Test
    void reportsADisconnectInAnyState() {
        assertThat(session.receive(new Disconnect(Disconnect.BY_APPLICATION)).events())
                .containsExactly(new Event.Disconnected(Disconnect.BY_APPLICATION));
    }

    @Test
    void opensChannelsOnlyToForwardedPortsAndUpToTheLimit() {
        // given a session allowing two channels
        forward16992();

        // when / then
        assertThatThrownBy(() -> session.openChannel(16993, "", 1)).isInstanceOf(IllegalStateException.class);
        ChannelOpen first = session.openChannel(16992, "1.2.3.4", 1024);
        session.openChannel(16992, "1.2.3.4", 1025);
        assertThatThrownBy(() -> session.openChannel(16992, "", 1)).isInstanceOf(IllegalStateException.class);
        assertThat(first).isEqualTo(new ChannelOpen(ChannelOpen.FORWARDED_TCPIP, ApfSession.FIRST_CHANNEL_ID, 8192,
                "", 16992, "1.2.3.4", 1024));
    }

    @Test
    void refusesDeviceInitiatedChannelsAsMpsDoes() {
        // given
        forward16992();

        // when
        Step step = session.receive(new ChannelOpen(ChannelOpen.DIRECT_TCPIP, 9, 4096, "x", 80, "y", 1));

        // then
        assertThat(step.replies()).containsExactly(new ChannelOpenFailure(9, ChannelOpenFailure.UNKNOWN_CHANNEL_TYPE));
    }

    @Test
    void refusesDataBeyondTheAdvertisedWindow() {
        // given a confirmed channel with our window of 8192
        forward16992();
        long id = openChannel();
        session.receive(new ChannelData(id, new byte[8000]));

        // when / then
        assertViolation(() -> session.receive(new ChannelData(id, new byte[193])), Reason.WINDOW_EXCEEDED);
    }

    @Test
    void returnsCreditOnceMoreThanHalfTheWindowIsConsumed() {
        // given
        forward16992();
        long id = openChannel();
        session.receive(new ChannelData(id, new byte[8192]));

        // when
        Optional<ChannelWindowAdjust> small = session.consumed(id, 4096);
        Optional<ChannelWindowAdjust> enough = session.consumed(id, 1);

        // then credit goes back with the device's id, and the window is usable again
        assertThat(small).isEmpty();
        assertThat(enough).contains(new ChannelWindowAdjust(id + 100, 4097));
        assertThat(session.receive(new ChannelData(id, new byte[4097])).events())
                .containsExactly(new Event.ChannelDataReceived(id, 4097));
    }

    @Test
    void sendsOnlyWithinTheDeviceWindowUntilItAdjusts() {
        // given a device window of 4096
        forward16992();
        long id = openChannel();

        // when
        ChannelData data = session.send(id, new byte[4000]);

        // then
        assertThat(data.recipientChannel()).isEqualTo(id + 100);
        assertThat(session.sendCredit(id)).isEqualTo(96);
        assertThatThrownBy(() -> session.send(id, new byte[97])).isInstanceOf(IllegalStateException.class);
        session.receive(new ChannelWindowAdjust(id, 1000));
        assertThat(session.sendCredit(id)).isEqualTo(1096);
    }

    @Test
    void refusesGatewaySendsOnChannelsThatAreNotOpen() {
        // given a channel still opening
        forward16992();
        long id = session.openChannel(16992, "", 1).senderChannel();

        // when / then it is the gateway's mistake, not a protocol violation
        assertThatThrownBy(() -> session.send(id, new byte[1])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> session.sendCredit(99)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesAWindowAdjustPastTheUnsignedRange() {
        // given
        forward16992();
        long id = openChannel();

        // when / then
        assertViolation(() -> session.receive(new ChannelWindowAdjust(id, 0xFFFF_FFFFL)), Reason.WINDOW_EXCEEDED);
    }

    @Test
    void echoesTheDeviceCloseAndFreesTheChannel() {
        // given
        forward16992();
        long id = openChannel();

        // when
        Step step = session.receive(new ChannelClose(id));

        // then
        assertThat(step.replies()).containsExactly(new ChannelClose(id + 100));
        assertThat(step.events()).containsExactly(new Event.ChannelClosed(id));
        assertThat(session.openChannels()).isZero();
        assertViolation(() -> session.receive(new ChannelData(id, new byte[1])), Reason.UNKNOWN_CHANNEL);
    }

    @Test
    void freesAChannelWeClosedWhenTheDeviceAnswers() {
        // given
        forward16992();
        long id = openChannel();

        // when
        Optional<ChannelClose> close = session.close(id);
        Step answer = session.receive(new ChannelClose(id));

        // then no second CLOSE is sent
        assertThat(close).contains(new ChannelClose(id + 100));
        assertThat(answer.replies()).isEmpty();
        assertThat(session.openChannels()).isZero();
    }

    @Test
    void closesAChannelClosedWhileOpeningWhenItIsConfirmed() {
        // given
        forward16992();
        long id = session.openChannel(16992, "", 1).senderChannel();
        assertThat(session.close(id)).isEmpty();

        // when
        Step confirmed = session.receive(new ChannelOpenConfirmation(id, 7, DEVICE_WINDOW));

        // then
        assertThat(confirmed.replies()).containsExactly(new ChannelClose(7));
        assertThat(confirmed.events()).isEmpty();
    }

    @Test
    void forgetsAChannelTheDeviceRefused() {
        // given
        forward16992();
        long id = session.openChannel(16992, "", 1).senderChannel();

        // when
        Step step = session.receive(new ChannelOpenFailure(id, ChannelOpenFailure.CONNECT_FAILED));

        // then
        assertThat(step.events()).containsExactly(new Event.ChannelOpenFailed(id, ChannelOpenFailure.CONNECT_FAILED));
        assertThat(session.openChannels()).isZero();
    }

    @Test
    void refusesMessagesForChannelsThatDoNotExist() {
        // given
        forward16992();

        // when / then
        assertViolation(() -> session.receive(new ChannelOpenConfirmation(99, 1, 1)), Reason.UNKNOWN_CHANNEL);
        assertViolation(() -> session.receive(new ChannelData(99, new byte[1])), Reason.UNKNOWN_CHANNEL);
    }

    @Test
    void neverPrintsThePasswordOfAnAuthenticationRequest() {
        // given
        session.receive(HELLO);
        session.receive(new ServiceRequest(ServiceRequest.AUTH));

        // when
        List<Event> events = session.receive(LOGIN).events();

        // then
        assertThat(events.toString()).contains("[hidden]").doesNotContain("P@ssw0rd");
    }
}
