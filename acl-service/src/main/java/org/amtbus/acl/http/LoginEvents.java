package org.amtbus.acl.http;

import java.util.Locale;
import org.amtbus.acl.account.AccountName;
import org.amtbus.acl.login.LoginResult;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.schemas.model.AuditEvent;

/**
 * Audits a password check made over HTTPS: one {@code auth.login} event, and an {@code auth.lockout}
 * event for each lock it started (scope {@code account} or {@code address}), all with the peer address.
 * Names only; never the password.
 */
final class LoginEvents {

    private LoginEvents() {
    }

    static void record(AuditLog audit, ApiRequest request, String username, LoginResult result) {
        AuditEvent.Actor actor = AccountName.tryParse(username).map(n -> AuditEvent.Actor.user(n.value()))
                .orElse(AuditEvent.Actor.system("unidentified-client"));
        audit.event("auth.login").actor(actor).source(request.sourceText())
                .outcome(result.isAccepted() ? AuditEvent.Outcome.SUCCESS : AuditEvent.Outcome.FAILURE)
                .reason(result.isAccepted() ? null : result.reason().name().toLowerCase(Locale.ROOT).replace('_', ' '))
                .detail("protocol", "https").detail("token", result.isAccepted() ? "issued" : null).emit();
        if (result.lockStarted()) {
            audit.event("auth.lockout").actor(actor).source(request.sourceText()).outcome(AuditEvent.Outcome.DENIED)
                    .reason("too many failed logins for the account").detail("scope", "account").detail("protocol", "https").emit();
        }
        if (result.addressLockStarted()) {
            audit.event("auth.lockout").actor(actor).source(request.sourceText()).target("address:" + request.sourceText())
                    .outcome(AuditEvent.Outcome.DENIED).reason("too many failed logins from the address")
                    .detail("scope", "address").detail("protocol", "https").emit();
        }
    }
}
