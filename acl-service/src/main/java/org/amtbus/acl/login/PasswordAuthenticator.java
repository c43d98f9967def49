package org.amtbus.acl.login;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.amtbus.acl.account.Account;
import org.amtbus.acl.account.AccountName;
import org.amtbus.acl.account.AccountStore;
import org.amtbus.acl.password.PasswordHasher;

/**
 * Checks a username and password against the account store.
 *
 * <p>Invariants: an unknown name and a locked account cost the same Argon2id work as a wrong password
 * and get the same answer, so neither response nor timing reveals which names exist or are locked;
 * repeated failures lock the account ({@link LoginThrottle}). Blocking (Argon2id and JDBC): never call it on an event loop.
 */
public final class PasswordAuthenticator {

    /** MQTT allows 65535 bytes; nothing legitimate is longer than this, and Argon2 input stays bounded. */
    public static final int MAX_PASSWORD_BYTES = 1024;

    private final AccountStore accounts;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final String decoyHash;

    public PasswordAuthenticator(AccountStore accounts, PasswordHasher hasher, LoginThrottle throttle) {
        this.accounts = Objects.requireNonNull(accounts);
        this.hasher = Objects.requireNonNull(hasher);
        this.throttle = Objects.requireNonNull(throttle);
        this.decoyHash = hasher.hash("decoy-password-for-unknown-accounts".toCharArray());
    }

    public LoginResult authenticate(String username, byte[] password) {
        Optional<AccountName> name = AccountName.tryParse(username);
        if (name.isEmpty()) {
            return LoginResult.refused(LoginResult.Reason.MALFORMED_USERNAME);
        }
        if (password == null || password.length == 0 || password.length > MAX_PASSWORD_BYTES) {
            return LoginResult.refused(LoginResult.Reason.MISSING_PASSWORD);
        }
        char[] decoded = decode(password);
        boolean undecodable = decoded == null;
        char[] chars = undecodable ? new char[0] : decoded;
        try {
            Optional<Account> account;
            Optional<String> hash;
            try {
                account = accounts.find(name.get());
                hash = account.isPresent() ? accounts.passwordHashOf(name.get()) : Optional.empty();
            } catch (AccountStore.AccountStoreException e) {
                return LoginResult.refused(LoginResult.Reason.STORE_UNAVAILABLE);
            }
            if (account.isEmpty() || hash.isEmpty()) {
                hasher.verify(chars, decoyHash);
                return LoginResult.refused(LoginResult.Reason.UNKNOWN_ACCOUNT);
            }
            if (throttle.isLocked(name.get().value())) {
                // same work and same answer as a wrong password: a locked account reveals nothing
                hasher.verify(chars, decoyHash);
                return LoginResult.refused(LoginResult.Reason.LOCKED_OUT);
            }
            if (!hasher.verify(chars, hash.get()) || undecodable) {
                return throttle.failed(name.get().value()) == LoginThrottle.Failure.LOCKED
                        ? LoginResult.refusedAndLocked() : LoginResult.refused(LoginResult.Reason.WRONG_PASSWORD);
            }
            throttle.succeeded(name.get().value());
            return LoginResult.accepted(account.get());
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /** Strict UTF-8; null for bytes that are not UTF-8 (they can match no stored password). */
    private static char[] decode(byte[] password) {
        try {
            CharBuffer decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(password));
            char[] chars = new char[decoded.remaining()];
            decoded.get(chars);
            return chars;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
