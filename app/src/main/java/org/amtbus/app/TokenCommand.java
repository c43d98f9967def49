package org.amtbus.app;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.amtbus.acl.account.AccountStore;
import org.amtbus.acl.login.LoginResult;
import org.amtbus.acl.login.LoginThrottle;
import org.amtbus.acl.login.PasswordAuthenticator;
import org.amtbus.acl.password.PasswordHasher;
import org.amtbus.acl.token.TokenService;
import org.amtbus.platform.secret.SecretStore;
import org.amtbus.schemas.model.AuditEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code amtbus token NAME}: checks NAME's password (from standard input) and prints a short-lived
 * ES384 token that MQTT clients may use as their password.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Issue a short-lived token (ES384 JWT) for NAME after checking its password from standard input.")
final class TokenCommand extends NodeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Option(names = "--ttl", defaultValue = "15m", description = "Lifetime: 1m to 24h (default 15m).")
    String ttl;

    @Override
    public Integer call() throws Exception {
        Duration lifetime = org.amtbus.platform.config.Settings.of(java.util.Map.of("ttl", ttl))
                .duration("ttl", TokenService.DEFAULT_TTL, Duration.ofMinutes(1), TokenService.MAX_TTL);
        byte[] password = Stdin.readSecret(System.in, "password");
        try (NodeConnection node = connect();
             SecretStore secrets = secrets()) {
            PasswordAuthenticator check = new PasswordAuthenticator(new AccountStore(node.database.dataSource()),
                    new PasswordHasher(), new LoginThrottle(LoginThrottle.DEFAULT_THRESHOLD, LoginThrottle.DEFAULT_BASE_LOCK,
                    LoginThrottle.DEFAULT_MAX_LOCK, Clock.systemUTC()));
            LoginResult result = check.authenticate(name, password);
            if (!result.isAccepted()) {
                node.audit.event("auth.token-issued").actor(node.actor).target(safeName()).outcome(AuditEvent.Outcome.DENIED)
                        .reason("password refused").emit();
                throw new StartupException(StartupException.ENVIRONMENT, "token: wrong name or password");
            }
            String token = TokenService.open(secrets, Clock.systemUTC()).issue(result.account().get().name(), lifetime);
            node.audit.event("auth.token-issued").actor(node.actor).target(name).detail("ttl", lifetime.toString()).emit();
            System.out.println(token);
            return 0;
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }

    private String safeName() {
        return name.replaceAll("[^A-Za-z0-9._@-]", "?");
    }

}
