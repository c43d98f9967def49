package org.amtbus.acl.change;

import java.time.Instant;
import java.util.Objects;
import org.amtbus.acl.account.AccountName;

/**
 * An access change every broker must act on, carried on Kafka {@code amtbus.acl.changes} (one
 * partition, so changes keep their order). Holds names only.
 *
 * @param account the account whose access changed
 * @param kind    what changed; {@link Kind#cutsSessions()} tells whether live sessions must end
 */
public record AclChange(String account, Kind kind, Instant time) {

    public enum Kind {
        GRANTED(false),
        REVOKED(true),
        DELETED(true),
        PASSWORD_CHANGED(true);

        private final boolean cutsSessions;

        Kind(boolean cutsSessions) {
            this.cutsSessions = cutsSessions;
        }

        /** Live sessions of the account must be disconnected (they were authorized under the old state). */
        public boolean cutsSessions() {
            return cutsSessions;
        }
    }

    public AclChange {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(time, "time");
        new AccountName(account); // validates
    }
}
