package org.amtbus.acl.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import org.amtbus.acl.account.Account;
import org.amtbus.acl.account.AccountName;
import org.amtbus.acl.account.AccountStore;
import org.amtbus.acl.bootstrap.AccountBootstrap;
import org.amtbus.acl.password.PasswordHasher;
import org.amtbus.platform.db.Database;
import org.amtbus.platform.db.DatabaseConfig;
import org.amtbus.platform.secret.SealedFileSecretStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Logins against real PostgreSQL: the accounts table, Argon2id hashes, hostile input. */
class PasswordAuthenticatorIT {

    private static Path dir;
    private static Database database;
    private static AccountStore accounts;
    private static PasswordAuthenticator authenticator;
    private static final PasswordHasher HASHER = new PasswordHasher(1024, 1, 1, new SecureRandom());

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("amtbus-acl-");
        database = Database.start(DatabaseConfig.embedded(0), dir, () -> new char[0]);
        accounts = new AccountStore(database.dataSource());
        authenticator = new PasswordAuthenticator(accounts, HASHER,
                new LoginThrottle(3, java.time.Duration.ofMinutes(1), java.time.Duration.ofMinutes(5), Clock.systemUTC()));
        accounts.create(new Account(new AccountName("alice"), Account.Kind.USER, false, Instant.now()),
                HASHER.hash("correct horse battery staple".toCharArray()));
    }

    @AfterAll
    static void stop() {
        if (database != null) {
            database.close();
        }
    }

    private static LoginResult login(String user, String password) {
        return authenticator.authenticate(user, password == null ? null : password.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void acceptsTheRightPassword() {
        LoginResult result = login("alice", "correct horse battery staple");
        assertThat(result.isAccepted()).isTrue();
        assertThat(result.account()).hasValueSatisfying(a -> assertThat(a.name().value()).isEqualTo("alice"));
    }

    @Test
    void refusesAWrongPasswordAnUnknownNameAndAMissingPasswordWithTheirReasons() {
        assertThat(login("alice", "wrong").reason()).isEqualTo(LoginResult.Reason.WRONG_PASSWORD);
        assertThat(login("bob", "whatever").reason()).isEqualTo(LoginResult.Reason.UNKNOWN_ACCOUNT);
        assertThat(login("alice", null).reason()).isEqualTo(LoginResult.Reason.MISSING_PASSWORD);
        assertThat(login("alice", "").reason()).isEqualTo(LoginResult.Reason.MISSING_PASSWORD);
    }

    @Test
    void refusesInjectionAndWildcardNamesBeforeTouchingTheDatabase() {
        for (String hostile : new String[] {"alice' OR '1'='1", "alice/#", "+", "#", "a\u0000b", "alice\n", "", " alice"}) {
            assertThat(login(hostile, "correct horse battery staple").reason())
                    .as(hostile).isEqualTo(LoginResult.Reason.MALFORMED_USERNAME);
        }
        assertThat(accounts.list()).extracting(a -> a.name().value()).doesNotContain("alice' OR '1'='1");
    }

    @Test
    void repeatedWrongPasswordsLockTheAccountAndTheRightOneIsRefusedWhileLocked() throws Exception {
        // given
        accounts.create(new Account(new AccountName("mallet"), Account.Kind.USER, false, Instant.now()),
                HASHER.hash("the right long password".toCharArray()));

        // when
        assertThat(login("mallet", "guess-1").reason()).isEqualTo(LoginResult.Reason.WRONG_PASSWORD);
        assertThat(login("mallet", "guess-2").reason()).isEqualTo(LoginResult.Reason.WRONG_PASSWORD);
        LoginResult third = login("mallet", "guess-3");

        // then
        assertThat(third.lockStarted()).isTrue();
        LoginResult right = login("mallet", "the right long password");
        assertThat(right.isAccepted()).isFalse();
        assertThat(right.reason()).isEqualTo(LoginResult.Reason.LOCKED_OUT);
        // and alice is not affected
        assertThat(login("alice", "correct horse battery staple").isAccepted()).isTrue();
    }

    @Test
    void refusesBytesThatAreNotUtf8() {
        LoginResult result = authenticator.authenticate("alice", new byte[] {(byte) 0xC3, (byte) 0x28});
        assertThat(result.reason()).isEqualTo(LoginResult.Reason.WRONG_PASSWORD);
    }

    @Test
    void firstStartCreatesTheSuperuserAndServiceAccountsOnceWithUniquePasswords() throws Exception {
        // given
        Path nodeDir = Files.createTempDirectory("amtbus-boot-");
        try (SealedFileSecretStore secrets = SealedFileSecretStore.open(nodeDir.resolve("secrets"))) {
            AccountBootstrap bootstrap = new AccountBootstrap(accounts, HASHER, secrets, Clock.systemUTC());

            // when
            AccountBootstrap.Outcome first = bootstrap.ensure(nodeDir);
            AccountBootstrap.Outcome second = bootstrap.ensure(nodeDir);

            // then
            assertThat(first.superuserCreated()).isTrue();
            assertThat(first.serviceAccountsCreated()).containsExactlyElementsOf(AccountBootstrap.SERVICE_ACCOUNTS);
            assertThat(second.superuserCreated()).isFalse();
            assertThat(second.serviceAccountsCreated()).isEmpty();
            String superuserPassword = Files.readString(first.passwordFile()).strip();
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(first.passwordFile())))
                    .isEqualTo("rw-------");
            assertThat(login("admin", superuserPassword).isAccepted()).isTrue();
            assertThat(accounts.find(AccountBootstrap.SUPERUSER)).hasValueSatisfying(a -> assertThat(a.superuser()).isTrue());
            java.util.Set<String> distinct = new java.util.HashSet<>();
            distinct.add(superuserPassword);
            for (AccountName name : AccountBootstrap.SERVICE_ACCOUNTS) {
                char[] password = secrets.get(AccountBootstrap.secretName(name)).orElseThrow().revealChars();
                assertThat(login(name.value(), new String(password)).isAccepted()).isTrue();
                assertThat(accounts.find(name)).hasValueSatisfying(a -> assertThat(a.superuser()).isFalse());
                distinct.add(new String(password));
            }
            assertThat(distinct).hasSize(1 + AccountBootstrap.SERVICE_ACCOUNTS.size());
        }
    }
}
