package org.amtbus.acl.http;

import java.util.List;
import java.util.Objects;
import org.amtbus.acl.admin.AccountAdmin;
import org.amtbus.acl.grant.StoredGrant;

/**
 * {@code /api/v1/grants}: topic levels per account and pattern, through {@link AccountAdmin} (validated,
 * audited, announced on {@code amtbus.acl.changes}). Admin role only. A revocation names the grant in
 * the query ({@code account}, {@code pattern}), since a pattern holds {@code /}, {@code +} and {@code #}.
 */
final class GrantsResource {

    static final String GRANTS = "/api/v1/grants";
    static final int MAX_PATTERN_LENGTH = 256;

    record GrantView(String account, String pattern, int level) {
        static GrantView of(StoredGrant g) {
            return new GrantView(g.account().value(), g.pattern(), g.level());
        }
    }

    record GrantList(List<GrantView> grants) { }

    record NewGrant(String account, String pattern, Integer level) { }

    private final AccountAdmin admin;
    private final BearerAuth auth;

    GrantsResource(AccountAdmin admin, BearerAuth auth) {
        this.admin = Objects.requireNonNull(admin);
        this.auth = Objects.requireNonNull(auth);
    }

    void mount(ApiServer server) {
        server.route("GET", GRANTS, this::list);
        server.route("POST", GRANTS, this::grant);
        server.route("DELETE", GRANTS, this::revoke);
    }

    private ApiResponse list(ApiRequest request) {
        auth.admin(request);
        try {
            List<StoredGrant> grants = request.queryParameter("account").map(admin::grantsOf).orElseGet(admin::allGrants);
            return JsonAnswers.json(200, new GrantList(grants.stream().map(GrantView::of).toList()));
        } catch (AccountAdmin.AdminException e) {
            throw JsonAnswers.problemOf(e);
        }
    }

    private ApiResponse grant(ApiRequest request) {
        Caller caller = auth.admin(request);
        NewGrant body = RequestBodies.json(request, NewGrant.class);
        JsonAnswers.required(body.account(), "account", 64);
        JsonAnswers.required(body.pattern(), "pattern", MAX_PATTERN_LENGTH);
        if (body.level() == null) {
            throw ApiProblem.badRequest("field 'level' is required (0, 1, 2 or 3)");
        }
        try {
            admin.grant(body.account(), body.pattern(), body.level(), caller.actor());
        } catch (AccountAdmin.AdminException e) {
            throw JsonAnswers.problemOf(e);
        }
        return JsonAnswers.json(201, new GrantView(body.account(), body.pattern(), body.level()));
    }

    private ApiResponse revoke(ApiRequest request) {
        Caller caller = auth.admin(request);
        String account = request.queryParameter("account")
                .orElseThrow(() -> ApiProblem.badRequest("query parameter 'account' is required"));
        String pattern = request.queryParameter("pattern")
                .orElseThrow(() -> ApiProblem.badRequest("query parameter 'pattern' is required"));
        JsonAnswers.required(pattern, "pattern", MAX_PATTERN_LENGTH);
        try {
            admin.revoke(account, pattern, caller.actor());
        } catch (AccountAdmin.AdminException e) {
            throw JsonAnswers.problemOf(e);
        }
        return ApiResponse.status(204);
    }
}
