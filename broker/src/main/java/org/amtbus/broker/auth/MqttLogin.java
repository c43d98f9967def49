package org.amtbus.broker.auth;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import org.amtbus.acl.level.Access;
import org.amtbus.schemas.agent.AgentName;
import org.amtbus.acl.account.AccountStore;
import org.amtbus.acl.level.AccessLoader;
import org.amtbus.acl.login.LoginResult;
import org.amtbus.acl.login.PasswordAuthenticator;
import org.amtbus.acl.token.BearerTokens;
import org.amtbus.acl.token.TokenService;

/**
 * Decides one MQTT login: a username with a password, or with a token as the password (an amtbus token
 * or one of the configured external identity provider, {@link BearerTokens#verifyPassword}).
 *
 * <p>Invariants: failures count against the account and against the peer address (per-address lockout,
 * {@link PasswordAuthenticator}); a locked address is refused for tokens too, with the same answer as a
 * wrong password; a refused token counts against the address; an accepted login records the account's
 * access in {@link Principals} before the broker admits the client; the {@link LoginListener} learns
 * every decision with its reason and the peer address (audit), the client only accepted or refused.
 *
 * <p>Thread: blocking (Argon2id, JDBC, possibly a JWKS fetch); {@link org.amtbus.broker.connect.ConnectGate}
 * runs it on the login executor, never on a Netty event loop.
 */
public final class MqttLogin {

    /** Told about every login decision, on the login thread; must not block for long. */
    public interface LoginListener {
        /** @param source the peer address as text, null when unknown */
        void login(String username, String clientId, LoginResult result, String source);
    }

    private final PasswordAuthenticator passwords;
    private final BearerTokens tokens;
    private final AccessLoader access;
    private final Principals principals;
    private final LoginListener listener;
    private final Optional<AgentLogin> agents;

    /** Without agent logins: every {@code agent-} user name is refused. */
    public MqttLogin(PasswordAuthenticator passwords, BearerTokens tokens, AccessLoader access, Principals principals,
                     LoginListener listener) {
        this(passwords, tokens, access, principals, listener, Optional.empty());
    }

    /** @param agents logs in devices' agents ({@code agent-<guid>} with a one-time enrollment token) */
    public MqttLogin(PasswordAuthenticator passwords, BearerTokens tokens, AccessLoader access, Principals principals,
                     LoginListener listener, Optional<AgentLogin> agents) {
        this.agents = Objects.requireNonNull(agents);
        this.passwords = Objects.requireNonNull(passwords);
        this.tokens = Objects.requireNonNull(tokens);
        this.access = Objects.requireNonNull(access);
        this.principals = Objects.requireNonNull(principals);
        this.listener = Objects.requireNonNull(listener);
    }

    /**
     * Checks the credentials of one CONNECT and tells the listener.
     *
     * @param source the peer address of the connection, null when unknown (then only the account is throttled)
     */
    public LoginResult login(String clientId, String username, byte[] password, InetAddress source) {
        LoginResult result;
        try {
            if (AgentName.claims(username)) {
                result = agentLogin(clientId, username, password, source);
            } else {
                result = TokenService.looksLikeToken(password) ? tokenLogin(username, password, source)
                        : passwords.authenticate(username, password, source);
                if (result.isAccepted()) {
                    principals.authenticated(access.accessOf(result.account().orElseThrow()));
                }
            }
        } catch (AccountStore.AccountStoreException e) {
            result = LoginResult.refused(LoginResult.Reason.STORE_UNAVAILABLE);
        }
        listener.login(username, clientId, result, source == null ? null : source.getHostAddress());
        return result;
    }

    /**
     * A device's agent with its one-time enrollment token: the access is the agent's fixed one, not an
     * account's grants. A refused token counts against the address like a wrong password.
     */
    private LoginResult agentLogin(String clientId, String username, byte[] token, InetAddress source) {
        if (source != null && passwords.isAddressLocked(source)) {
            passwords.addressFailed(source);
            return LoginResult.refused(LoginResult.Reason.SOURCE_LOCKED_OUT);
        }
        Optional<Access> agent = agents.flatMap(a -> a.login(username, token, clientId));
        if (agent.isPresent()) {
            principals.authenticated(agent.get());
            return LoginResult.accepted(agent.get().account());
        }
        LoginResult refused = LoginResult.refused(LoginResult.Reason.TOKEN_REFUSED);
        return source != null && passwords.addressFailed(source) ? refused.withAddressLockStarted() : refused;
    }

    /** A token as the password; the account it names must still exist. */
    private LoginResult tokenLogin(String username, byte[] token, InetAddress source) {
        if (source != null && passwords.isAddressLocked(source)) {
            passwords.addressFailed(source); // hammering extends the lock, as for passwords
            return LoginResult.refused(LoginResult.Reason.SOURCE_LOCKED_OUT);
        }
        TokenService.Verdict verdict = tokens.verifyPassword(new String(token, StandardCharsets.US_ASCII), username);
        LoginResult result = verdict.accepted()
                ? access.load(verdict.account()).map(a -> LoginResult.accepted(a.account()))
                        .orElse(LoginResult.refused(LoginResult.Reason.UNKNOWN_ACCOUNT))
                : LoginResult.refused(LoginResult.Reason.TOKEN_REFUSED);
        if (!result.isAccepted() && source != null && passwords.addressFailed(source)) {
            return result.withAddressLockStarted();
        }
        return result;
    }
}
