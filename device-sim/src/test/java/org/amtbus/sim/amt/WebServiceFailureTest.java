package org.amtbus.sim.amt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.amtbus.schemas.model.CommandAction;
import org.amtbus.wsman.client.CommandOutcome;
import org.amtbus.wsman.client.FailureKind;
import org.amtbus.wsman.client.WsmanResult;
import org.amtbus.wsman.http.HttpResponse;
import org.amtbus.wsman.http.HttpResponseParser;
import org.amtbus.wsman.message.Wsman;
import org.amtbus.wsman.message.WsmanEnvelope;
import org.amtbus.wsman.message.WsmanRequests;
import org.junit.jupiter.api.Test;

/** Wrong passwords, stale nonces, faults and a misbehaving device end in typed failures, never loops. */
class WebServiceFailureTest {

    @Test
    void wrongPasswordEndsInAuthFailedAfterOneRetry() {
        // given a client with the wrong password
        SimHarness h = new SimHarness("Not-The-Pass1!", 64, Duration.ofSeconds(10));
        // when
        CommandOutcome outcome = h.catalogue.execute(CommandAction.POWER_STATE);
        // then: the unauthenticated try and one try with credentials, nothing more
        assertThat(outcome).isEqualTo(new CommandOutcome.Failed(FailureKind.AUTH_FAILED, "device refused the credentials (HTTP 401)"));
        assertThat(h.transport.connectionsOpened()).isEqualTo(2);
    }

    @Test
    void deviceExpectingAnotherPasswordGivesAuthFailed() {
        SimHarness h = new SimHarness();
        h.service.misbehave(Misbehaviour.WRONG_PASSWORD);
        assertThat(h.catalogue.execute(CommandAction.AMT_INFO))
                .isEqualTo(new CommandOutcome.Failed(FailureKind.AUTH_FAILED, "device refused the credentials (HTTP 401)"));
    }

    @Test
    void staleNonceIsRenewedWithoutFailingTheCommand() {
        // given an authenticated session
        SimHarness h = new SimHarness();
        assertThat(h.catalogue.execute(CommandAction.POWER_STATE)).isInstanceOf(CommandOutcome.Succeeded.class);
        int before = h.transport.connectionsOpened();
        // when the device's nonce lifetime passes
        h.deviceClock.advance(Duration.ofMinutes(6));
        CommandOutcome outcome = h.catalogue.execute(CommandAction.POWER_STATE);
        // then the stale 401 led to one re-authentication on a new connection
        assertThat(outcome).isInstanceOf(CommandOutcome.Succeeded.class);
        assertThat(h.transport.connectionsOpened()).isEqualTo(before + 1);
    }

    @Test
    void replayedRequestIsChallengedAgain() throws Exception {
        // given a request that was accepted once, captured on the wire
        SimHarness h = new SimHarness();
        assertThat(h.catalogue.execute(CommandAction.POWER_STATE)).isInstanceOf(CommandOutcome.Succeeded.class);
        List<byte[]> captured = new ArrayList<>();
        org.amtbus.wsman.client.Transport recording = () -> {
            org.amtbus.wsman.client.Transport.Connection inner = h.transport.open();
            return new org.amtbus.wsman.client.Transport.Connection() {
                public void send(byte[] data) throws java.io.IOException {
                    captured.add(data.clone());
                    inner.send(data);
                }

                public byte[] receive(Duration t) throws java.io.IOException, java.util.concurrent.TimeoutException, InterruptedException {
                    return inner.receive(t);
                }

                public void close() {
                    inner.close();
                }
            };
        };
        org.amtbus.wsman.client.WsmanClient recordingClient = new org.amtbus.wsman.client.WsmanClient(recording,
                new org.amtbus.wsman.digest.DigestClient("admin", org.amtbus.wsman.digest.Password.of(SimHarness.PASSWORD),
                        new SplittableRandom(5)), "g", Duration.ofSeconds(10), java.time.Clock.systemUTC());
        assertThat(recordingClient.send(new WsmanRequests().get(Wsman.GENERAL_SETTINGS))).isInstanceOf(WsmanResult.Success.class);
        byte[] authenticated = captured.get(captured.size() - 1);
        // when an attacker sends the same bytes on a new connection
        org.amtbus.wsman.client.Transport.Connection c = h.transport.open();
        c.send(authenticated);
        HttpResponse response = new HttpResponseParser().feed(readAll(c)).orElseThrow();
        // then
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.headers().first("WWW-Authenticate").orElseThrow()).contains("stale=\"false\"");
    }

    @Test
    void unknownResourceGetsADestinationUnreachableFaultNotABareHttpError() {
        // given
        SimHarness h = new SimHarness();
        // when
        WsmanResult<WsmanEnvelope> r = h.client.send(new WsmanRequests().get(Wsman.CIM + "CIM_Chassis"));
        // then
        assertThat(r).isInstanceOf(WsmanResult.Failure.class);
        WsmanResult.Failure<WsmanEnvelope> f = (WsmanResult.Failure<WsmanEnvelope>) r;
        assertThat(f.kind()).isEqualTo(FailureKind.FAULT);
        assertThat(f.fault().code()).isEqualTo("a:Sender");
        assertThat(f.fault().subcode()).isEqualTo("b:DestinationUnreachable");
    }

    @Test
    void garbageResponseIsAProtocolFailure() {
        SimHarness h = new SimHarness();
        h.service.misbehave(Misbehaviour.GARBAGE);
        CommandOutcome outcome = h.catalogue.execute(CommandAction.AMT_SETTINGS);
        assertThat(outcome).isInstanceOf(CommandOutcome.Failed.class);
        assertThat(((CommandOutcome.Failed) outcome).kind()).isEqualTo(FailureKind.PROTOCOL);
    }

    @Test
    void deviceVanishingMidResponseIsATransportFailure() {
        SimHarness h = new SimHarness();
        h.service.misbehave(Misbehaviour.VANISH);
        assertThat(h.catalogue.execute(CommandAction.POWER_STATE))
                .isEqualTo(new CommandOutcome.Failed(FailureKind.TRANSPORT, "connection closed in the middle of a response"));
    }

    @Test
    void slowDeviceEndsInTimeoutAndTheLateAnswerIsHarmless() {
        // given a device whose answers are held back by the test
        SimHarness h = new SimHarness(SimHarness.PASSWORD, 64, Duration.ofMillis(200));
        h.service.misbehave(Misbehaviour.SLOW);
        // when
        CommandOutcome outcome = h.catalogue.execute(CommandAction.POWER_OFF_HARD);
        // then
        assertThat(outcome).isEqualTo(new CommandOutcome.Failed(FailureKind.TIMEOUT, "no complete response within PT0.2S"));
        assertThat(h.delayed).hasSize(1);
        h.delayed.forEach(Runnable::run); // the late 401 goes to a connection the client already dropped
        h.service.behave();
        assertThat(h.catalogue.execute(CommandAction.POWER_STATE)).isInstanceOf(CommandOutcome.Succeeded.class);
    }

    @Test
    void malformedHttpFromAClientGetsA400AndAClose() throws Exception {
        SimHarness h = new SimHarness();
        org.amtbus.wsman.client.Transport.Connection c = h.transport.open();
        c.send("POST /wsman HTTP/1.1\r\nContent-Length: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        HttpResponse response = new HttpResponseParser().feed(readAll(c)).orElseThrow();
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.headers().connectionClose()).isTrue();
    }

    private static byte[] readAll(org.amtbus.wsman.client.Transport.Connection c) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] b = c.receive(Duration.ofSeconds(5)); b != null; b = c.receive(Duration.ofSeconds(5))) {
            out.writeBytes(b);
        }
        return out.toByteArray();
    }
}
