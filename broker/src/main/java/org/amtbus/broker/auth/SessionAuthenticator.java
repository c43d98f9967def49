package org.amtbus.broker.auth;

import io.moquette.broker.security.IAuthenticator;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moquette's CONNECT hook. It decides nothing itself: the credentials were already checked off the event
 * loop by {@link MqttLogin} (run by {@link org.amtbus.broker.connect.ConnectGate}), and this reads that
 * verdict from {@link ConnectVerdicts}.
 *
 * <p>Invariants: no anonymous access (a CONNECT without a username never reaches here because
 * {@code allow_anonymous=false}); a CONNECT that arrives without a verdict (it bypassed the gate) is refused
 * and logged, never checked here.
 *
 * <p>Thread: Moquette calls this on a Netty I/O thread; it only reads a thread-confined slot.
 */
public final class SessionAuthenticator implements IAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(SessionAuthenticator.class);

    private final ConnectVerdicts verdicts;

    public SessionAuthenticator(ConnectVerdicts verdicts) {
        this.verdicts = Objects.requireNonNull(verdicts);
    }

    @Override
    public boolean checkValid(String clientId, String username, byte[] password) {
        return verdicts.take(username, password).orElseGet(() -> {
            LOG.error("event=broker.login-without-verdict [client: {}] the CONNECT did not pass the connect gate; refused",
                    clientId == null ? "" : clientId.replaceAll("[^A-Za-z0-9_.:-]", "_"));
            return false;
        });
    }
}
