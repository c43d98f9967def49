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
 * repeated failures lock the account ({@link LoginThrottle}). When the caller names the source address,
 * failures from it are counted too and lock the address (a second throttle, keyed by
 * {@link SourceAddress}); a locked address gets the same answer, after the same work, as a wrong
 * password. A success does not reset the address count, so one valid account cannot be used to
 * launder guesses against others. Blocking (Argon2id and JDBC): never call it on an event loop.
 */
public final class PasswordAuthenticator {

    /** MQTT allows 65535 bytes; nothing legitimate is longer than this, and Argon2 input stays bounded. */
    public static final int MAX_PASSWORD_BYTES = 1024;
    /** Failures from one address before it locks: higher than per account, since many people may share a NAT. */
    public static final int DEFAULT_ADDRESS_THRESHOLD = 20;

    private final AccountStore accounts;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final LoginThrottle addressThrottle;
    private final String decoyHash;

    /** With the default per-address lockout ({@link #defaultAddressThrottle(java.time.Clock)}). */
    public PasswordAuthenticator(AccountStore accounts, PasswordHasher hasher, LoginThrottle throttle) {
        this(accounts, hasher, throttle, defaultAddressThrottle(java.time.Clock.systemUTC()));
    }

    public PasswordAuthenticator(AccountStore accounts, PasswordHasher hasher, LoginThrottle throttle,
                                 LoginThrottle addressThrottle) {
        this.accounts = Objects.requireNonNull(accounts);
        this.hasher = Objects.requireNonNull(hasher);
        this.throttle = Objects.requireNonNull(throttle);
        this.addressThrottle = Objects.requireNonNull(addressThrottle);
        this.decoyHash = hasher.hash("decoy-password-for-unknown-accounts".toCharArray());
    }

    /** 20 failures from an address lock it for 30 s, doubling up to 15 min. */
    public static LoginThrottle defaultAddressThrottle(java.time.Clock clock) {
        return new LoginThrottle(DEFAULT_ADDRESS_THRESHOLD, LoginThrottle.DEFAULT_BASE_LOCK, LoginThrottle.DEFAULT_MAX_LOCK,
                clock, LoginThrottle.DEFAULT_CAPACITY);
    }

    /**
     * Checks a login that came from {@code source} (the peer of the connection that carried it); failures
     * count against the address as well as the account. {@code source} null: as {@link #authenticate(String, byte[])}.
     */
    public LoginResult authenticate(String username, byte[] password, java.net.InetAddress source) {
        if (source == null) {
            return authenticate(username, password);
        }
        String key = SourceAddress.of(source).key();
        if (addressThrottle.isLocked(key)) {
            // same work and answer as a wrong password; and still counted, so hammering extends the lock
            hasher.verify(new char[0], decoyHash);
            addressThrottle.failed(key);
            return LoginResult.refused(LoginResult.Reason.SOURCE_LOCKED_OUT);
        }
        LoginResult result = authenticate(username, password);
        if (result.isAccepted() || result.reason() == LoginResult.Reason.STORE_UNAVAILABLE) {
            return result;
        }
        return addressThrottle.failed(key) == LoginThrottle.Failure.LOCKED ? result.withAddressLockStarted() : result;
    }

    /**
     * Counts a failed login from {@code source} that was not a password check (a refused token), so an
     * address that sprays forged tokens locks like one that guesses passwords. True when this failure
     * started (or extended) the address lock.
     */
    public boolean addressFailed(java.net.InetAddress source) {
        return addressThrottle.failed(SourceAddress.of(source).key()) == LoginThrottle.Failure.LOCKED;
    }

    /** True while failures from {@code source} keep it locked. */
    public boolean isAddressLocked(java.net.InetAddress source) {
        return addressThrottle.isLocked(SourceAddress.of(source).key());
    }

    /** Checks a login whose source is unknown (e.g. relayed by another broker): only the account is throttled. */
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
