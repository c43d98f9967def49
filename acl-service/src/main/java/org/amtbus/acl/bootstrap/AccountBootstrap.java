package org.amtbus.acl.bootstrap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.amtbus.acl.account.Account;
import org.amtbus.acl.account.AccountName;
import org.amtbus.acl.account.AccountStore;
import org.amtbus.acl.password.PasswordHasher;
import org.amtbus.platform.secret.Passwords;
import org.amtbus.platform.secret.Secret;
import org.amtbus.platform.secret.SecretName;
import org.amtbus.platform.secret.SecretStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, on the first start, the superuser and one service account per internal component.
 *
 * <p>Invariants: every password is unique and random; the superuser's one-time password is written
 * only to a 0600 file (created with those permissions, never wider even briefly) and never logged;
 * a service account's password lives only in the secret store ({@code accounts/<name>}), from which
 * its component reads it. Later starts change nothing that exists.
 */
public final class AccountBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(AccountBootstrap.class);

    public static final AccountName SUPERUSER = new AccountName("admin");
    /** One account per component that talks to the broker or the ACL API from outside this process. */
    public static final List<AccountName> SERVICE_ACCOUNTS = List.of(
            new AccountName("svc-gateway"),
            new AccountName("svc-router"),
            new AccountName("svc-provisioning"),
            new AccountName("svc-audit-sink"));
    public static final String PASSWORD_FILE = "admin-password";
    /** Long enough to be far beyond guessing; the superuser should change it after the first login. */
    private static final int SUPERUSER_PASSWORD_BYTES = 24;

    private final AccountStore accounts;
    private final PasswordHasher hasher;
    private final SecretStore secrets;
    private final Clock clock;

    /** What a start created: names only. */
    public record Outcome(boolean superuserCreated, List<AccountName> serviceAccountsCreated, Path passwordFile) { }

    public AccountBootstrap(AccountStore accounts, PasswordHasher hasher, SecretStore secrets, Clock clock) {
        this.accounts = Objects.requireNonNull(accounts);
        this.hasher = Objects.requireNonNull(hasher);
        this.secrets = Objects.requireNonNull(secrets);
        this.clock = Objects.requireNonNull(clock);
    }

    /** Runs on start, before the broker accepts connections. Blocking (JDBC, Argon2id). */
    public Outcome ensure(Path dataDir) {
        Path passwordFile = dataDir.resolve(PASSWORD_FILE);
        boolean superuserCreated = false;
        if (accounts.find(SUPERUSER).isEmpty()) {
            Secret password = Passwords.token(SUPERUSER_PASSWORD_BYTES);
            writeOwnerOnly(passwordFile, password);
            accounts.create(new Account(SUPERUSER, Account.Kind.USER, true, clock.instant()), hash(password));
            superuserCreated = true;
            LOG.info("event=account.created account={} kind=user superuser=true passwordFile={}", SUPERUSER, passwordFile);
        }
        List<AccountName> created = new ArrayList<>();
        for (AccountName name : SERVICE_ACCOUNTS) {
            if (accounts.find(name).isPresent()) {
                continue;
            }
            Secret password = Passwords.token(SUPERUSER_PASSWORD_BYTES);
            secrets.put(secretName(name), password);
            accounts.create(new Account(name, Account.Kind.SERVICE, false, clock.instant()), hash(password));
            created.add(name);
            LOG.info("event=account.created account={} kind=service", name);
        }
        return new Outcome(superuserCreated, List.copyOf(created), passwordFile);
    }

    /** Where a service account's password is kept. */
    public static SecretName secretName(AccountName account) {
        return new SecretName("accounts/" + account.value());
    }

    private String hash(Secret password) {
        char[] chars = password.revealChars();
        try {
            return hasher.hash(chars);
        } finally {
            java.util.Arrays.fill(chars, '\0');
        }
    }

    private static void writeOwnerOnly(Path file, Secret password) {
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            char[] chars = password.revealChars();
            try {
                Files.writeString(file, new String(chars) + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            } finally {
                java.util.Arrays.fill(chars, '\0');
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the superuser password file " + file + ": " + e.getMessage(), e);
        }
    }
}
