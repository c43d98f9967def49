package org.amtbus.acl.login;

import java.util.Objects;
import java.util.Optional;
import org.amtbus.acl.account.Account;

/**
 * The outcome of one password check. The client only ever learns accepted or refused; the reason is
 * for the audit trail and metrics, so an attacker cannot tell an unknown name from a wrong password.
 */
public record LoginResult(Optional<Account> account, Reason reason, boolean lockStarted, boolean addressLockStarted) {

    public enum Reason {
        ACCEPTED,
        MALFORMED_USERNAME,
        UNKNOWN_ACCOUNT,
        WRONG_PASSWORD,
        /** The account is locked after repeated failures; the password was not even compared. */
        LOCKED_OUT,
        /** A token (JWT) was presented and refused: wrong algorithm, key, issuer, audience, subject or time. */
        TOKEN_REFUSED,
        MISSING_PASSWORD,
        /** The source address is locked after repeated failures from it; nothing was compared. */
        SOURCE_LOCKED_OUT,
        STORE_UNAVAILABLE
    }

    public LoginResult {
        Objects.requireNonNull(account);
        Objects.requireNonNull(reason);
        if (account.isPresent() != (reason == Reason.ACCEPTED)) {
            throw new IllegalArgumentException("an account is present exactly when the login is accepted");
        }
        if (addressLockStarted && reason == Reason.ACCEPTED) {
            throw new IllegalArgumentException("an accepted login locks nothing");
        }
    }

    /** A result without an address lock (logins that name no source address). */
    public LoginResult(Optional<Account> account, Reason reason, boolean lockStarted) {
        this(account, reason, lockStarted, false);
    }

    public static LoginResult accepted(Account account) {
        return new LoginResult(Optional.of(account), Reason.ACCEPTED, false);
    }

    public static LoginResult refused(Reason reason) {
        return new LoginResult(Optional.empty(), reason, false);
    }

    /** A wrong password that made the account locked: audited as {@code auth.lockout}. */
    public static LoginResult refusedAndLocked() {
        return new LoginResult(Optional.empty(), Reason.WRONG_PASSWORD, true);
    }

    /** The same refusal, noting that this failure locked the source address (audited as {@code auth.lockout}). */
    public LoginResult withAddressLockStarted() {
        return new LoginResult(account, reason, lockStarted, true);
    }

    public boolean isAccepted() {
        return reason == Reason.ACCEPTED;
    }
}
