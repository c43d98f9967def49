package org.amtbus.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SessionAuthenticatorTest {

    private final ConnectVerdicts verdicts = new ConnectVerdicts();
    private final SessionAuthenticator authenticator = new SessionAuthenticator(verdicts);
    private final byte[] password = "a long password".getBytes(StandardCharsets.UTF_8);

    @Test
    void refusesACONNECTThatArrivesWithoutAVerdict() {
        assertThat(authenticator.checkValid("c1", "olga", password)).isFalse();
    }

    @Test
    void readsTheVerdictDeliveredForTheseCredentials() {
        AtomicBoolean accepted = new AtomicBoolean();
        verdicts.deliver("olga", password, true, () -> accepted.set(authenticator.checkValid("c1", "olga", password.clone())));
        assertThat(accepted).isTrue();
    }

    @Test
    void anAcceptedVerdictDoesNotAdmitOtherCredentialsOrASecondCheck() {
        AtomicBoolean other = new AtomicBoolean(true);
        AtomicBoolean second = new AtomicBoolean(true);
        verdicts.deliver("olga", password, true, () -> other.set(authenticator.checkValid("c1", "mallory", password)));
        verdicts.deliver("olga", password, true, () -> {
            authenticator.checkValid("c1", "olga", password);
            second.set(authenticator.checkValid("c1", "olga", password));
        });
        assertThat(other).isFalse();
        assertThat(second).isFalse();
        // and nothing lingers after the delivery
        assertThat(authenticator.checkValid("c1", "olga", password)).isFalse();
    }
}
