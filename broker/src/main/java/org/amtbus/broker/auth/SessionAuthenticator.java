package org.amtbus.broker.auth;

import io.moquette.broker.security.IAuthenticator;
import java.util.Objects;
import java.util.Optional;
import org.amtbus.schemas.agent.AgentName;
import org.amtbus.acl.level.Access;
import org.amtbus.acl.login.LoginResult;
import org.amtbus.acl.level.AccessLoader;
import org.amtbus.acl.login.PasswordAuthenticator;
import org.amtbus.acl.token.TokenService;

/**
 * Moquette's CONNECT hook: a username and password checked against the account store.
 *
 * <p>A password that has the shape of a JWT is checked as an amtbus token ({@link TokenService}). A user name
 * {@code agent-<guid>} is a device's agent: only a one-time enrollment token logs it in ({@link AgentLogin}),
 * never a password, and it gets only that device's agent topics.
 *
 * <p>Invariants: no anonymous access (a CONNECT without a username never reaches here because
 * {@code allow_anonymous=false}, and a null or malformed one is refused); the client learns only
 * accepted or refused, while the {@link LoginListener} gets the reason for the audit trail.
 *
 * <p>Thread: Moquette calls this on a Netty I/O thread and the Argon2id check takes tens of
 * milliseconds. Acceptable while only a handful of service and admin accounts log in; issue 4 moves
 * the check off the event loop before user accounts arrive.
 */
public final class SessionAuthenticator implements IAuthenticator {

    /** Told about every login decision; must not block. */
    public interface LoginListener {
        void login(String username, String clientId, LoginResult result);
    }

    private final PasswordAuthenticator passwords;
    private final TokenService tokens;
    private final AccessLoader access;
    private final Principals principals;
    private final LoginListener listener;
    private final Optional<AgentLogin> agents;

    /** Without agent logins: every {@code agent-} user name is refused. */
    public SessionAuthenticator(PasswordAuthenticator passwords, TokenService tokens, AccessLoader access,
                                Principals principals, LoginListener listener) {
        this(passwords, tokens, access, principals, listener, Optional.empty());
    }

    public SessionAuthenticator(PasswordAuthenticator passwords, TokenService tokens, AccessLoader access,
                                Principals principals, LoginListener listener, Optional<AgentLogin> agents) {
        this.agents = Objects.requireNonNull(agents);
        this.passwords = Objects.requireNonNull(passwords);
        this.tokens = Objects.requireNonNull(tokens);
        this.access = Objects.requireNonNull(access);
        this.principals = Objects.requireNonNull(principals);
        this.listener = Objects.requireNonNull(listener);
    }

    @Override
    public boolean checkValid(String clientId, String username, byte[] password) {
        if (AgentName.claims(username)) {
            return agentLogin(clientId, username, password);
        }
        LoginResult result = TokenService.looksLikeToken(password) ? tokenLogin(username, password)
                : passwords.authenticate(username, password);
        result.account().ifPresent(account -> principals.authenticated(access.accessOf(account)));
        listener.login(username, clientId, result);
        return result.isAccepted();
    }

    /** An agent's one-time token; the access is the agent's fixed one, not an account's grants. */
    private boolean agentLogin(String clientId, String username, byte[] token) {
        Optional<Access> agent = agents.flatMap(a -> a.login(username, token, clientId));
        agent.ifPresent(principals::authenticated);
        LoginResult result = agent.map(a -> LoginResult.accepted(a.account()))
                .orElse(LoginResult.refused(LoginResult.Reason.TOKEN_REFUSED));
        listener.login(username, clientId, result);
        return result.isAccepted();
    }

    /** A short-lived ES384 token as the password; the account must still exist. */
    private LoginResult tokenLogin(String username, byte[] token) {
        TokenService.Verdict verdict = tokens.verify(new String(token, java.nio.charset.StandardCharsets.US_ASCII), username);
        if (!verdict.accepted()) {
            return LoginResult.refused(LoginResult.Reason.TOKEN_REFUSED);
        }
        return access.load(verdict.account()).map(a -> LoginResult.accepted(a.account()))
                .orElse(LoginResult.refused(LoginResult.Reason.UNKNOWN_ACCOUNT));
    }
}
