package org.amtbus.provisioning.http;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.amtbus.acl.http.AdminRoutes;
import org.amtbus.acl.http.ApiProblem;
import org.amtbus.acl.http.ApiRequest;
import org.amtbus.acl.http.ApiResponse;
import org.amtbus.provisioning.profile.CertificateFacts;
import org.amtbus.provisioning.profile.Domain;
import org.amtbus.provisioning.profile.Profile;
import org.amtbus.provisioning.profile.ProfileAdmin;
import org.amtbus.provisioning.profile.ProfileDocument;
import org.amtbus.provisioning.profile.ProfileStore;
import org.amtbus.provisioning.profile.ProvisioningStoreException;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.TenantId;

/**
 * Admin API routes for provisioning profiles ({@code /api/v1/profiles/{tenant}/{name}}) and ACM domains
 * ({@code /api/v1/domains/{name}}), mounted on the acl-service's listener through {@link AdminRoutes} (superuser
 * bearer token, strict JSON, RFC 9457 problems). Changes go through {@link ProfileAdmin}, the audited path the
 * CLI uses too.
 *
 * <p>Invariant: no answer carries a domain's .pfx, key or .pfx password: they arrive in a PUT body, go to
 * the secret store and are wiped; a domain's answer shows only its chain's subjects, fingerprints and validity.
 */
public final class ProfilesApi implements AdminRoutes.Extension {

    static final String PROFILES = "/api/v1/profiles";
    static final String PROFILE = "/api/v1/profiles/{tenant}/{name}";
    static final String DOMAINS = "/api/v1/domains";
    static final String DOMAIN = "/api/v1/domains/{name}";

    record ProfileList(List<ProfileDocument> profiles) { }

    /** A domain as anyone may read it; {@code chain} (leaf to root) only in a single domain's answer. */
    record DomainView(String name, String tenant, String dnsSuffix, String leafSubject, String rootSha256, Instant expiresAt,
                      List<CertificateFacts> chain) {
        static DomainView of(Domain d, List<CertificateFacts> chain) {
            return new DomainView(d.name(), d.tenant().value(), d.dnsSuffix(), d.leafSubject(), d.rootSha256(), d.expiresAt(), chain);
        }
    }

    record DomainList(List<DomainView> domains) { }

    /** The .pfx in base64 and its password: stored, never answered, never logged. */
    record NewDomain(String tenant, String dnsSuffix, String pfx, String password) {
        @Override
        public String toString() {
            return "NewDomain[tenant=" + tenant + ", dnsSuffix=" + dnsSuffix + ", pfx and password hidden]";
        }
    }

    private final ProfileAdmin admin;

    public ProfilesApi(ProfileAdmin admin) {
        this.admin = Objects.requireNonNull(admin);
    }

    @Override
    public void mount(AdminRoutes routes) {
        routes.admin("GET", PROFILES, (r, actor) -> guarded(() -> AdminRoutes.json(200, new ProfileList(
                admin.listProfiles(tenantQuery(r)).stream().map(ProfileDocument::of).toList()))));
        routes.admin("GET", PROFILE, (r, actor) -> guarded(() -> AdminRoutes.json(200, ProfileDocument.of(
                admin.showProfile(tenant(r.pathParameter("tenant")), r.pathParameter("name"))
                        .orElseThrow(() -> notFound("profile", r.pathParameter("name")))))));
        routes.admin("PUT", PROFILE, this::putProfile);
        routes.admin("DELETE", PROFILE, (r, actor) -> guarded(() -> {
            if (!admin.deleteProfile(tenant(r.pathParameter("tenant")), r.pathParameter("name"), actor)) {
                throw notFound("profile", r.pathParameter("name"));
            }
            return ApiResponse.status(204);
        }));
        routes.admin("GET", DOMAINS, (r, actor) -> guarded(() -> AdminRoutes.json(200, new DomainList(
                admin.listDomains(tenantQuery(r)).stream().map(d -> DomainView.of(d, null)).toList()))));
        routes.admin("GET", DOMAIN, (r, actor) -> guarded(() -> {
            String name = r.pathParameter("name");
            Domain domain = admin.showDomain(name).orElseThrow(() -> notFound("domain", name));
            return AdminRoutes.json(200, DomainView.of(domain, chain(name)));
        }));
        routes.admin("PUT", DOMAIN, this::putDomain);
        routes.admin("DELETE", DOMAIN, (r, actor) -> guarded(() -> {
            if (!admin.deleteDomain(r.pathParameter("name"), actor)) {
                throw notFound("domain", r.pathParameter("name"));
            }
            return ApiResponse.status(204);
        }));
    }

    private ApiResponse putProfile(ApiRequest request, AuditEvent.Actor actor) {
        TenantId tenant = tenant(request.pathParameter("tenant"));
        ProfileDocument.Body body = AdminRoutes.body(request, ProfileDocument.Body.class);
        return guarded(() -> {
            Profile profile;
            try {
                profile = body.toProfile(tenant, request.pathParameter("name"));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw ApiProblem.badRequest(e instanceof NullPointerException ? "a list must not hold null" : e.getMessage());
            }
            ProfileStore.Put put = admin.putProfile(profile, actor);
            return AdminRoutes.json(put == ProfileStore.Put.CREATED ? 201 : 200, ProfileDocument.of(profile));
        });
    }

    private ApiResponse putDomain(ApiRequest request, AuditEvent.Actor actor) {
        String name = request.pathParameter("name");
        NewDomain body = AdminRoutes.body(request, NewDomain.class);
        TenantId tenant = tenant(AdminRoutes.required(body.tenant(), "tenant", 63));
        String suffix = AdminRoutes.required(body.dnsSuffix(), "dnsSuffix", 253);
        String password = AdminRoutes.required(body.password(), "password", 256);
        byte[] pfx;
        try {
            pfx = Base64.getDecoder().decode(AdminRoutes.required(body.pfx(), "pfx", 60_000));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("field 'pfx' must be the .pfx file in base64");
        }
        return guarded(() -> {
            boolean existed = admin.showDomain(name).isPresent();
            Domain domain;
            try {
                // putDomain wipes both arrays; the refusal's reason names no secret
                domain = admin.putDomain(name, tenant, suffix, pfx, password.toCharArray(), actor);
            } catch (IllegalArgumentException e) {
                throw ApiProblem.badRequest(e.getMessage());
            }
            return AdminRoutes.json(existed ? 200 : 201, DomainView.of(domain, chain(name)));
        });
    }

    private List<CertificateFacts> chain(String name) {
        try {
            return admin.domainChain(name).orElse(List.of());
        } catch (IllegalStateException e) {
            throw new ApiProblem(409, e.getMessage());
        }
    }

    private static Optional<TenantId> tenantQuery(ApiRequest request) {
        return request.queryParameter("tenant").map(ProfilesApi::tenant);
    }

    private static TenantId tenant(String value) {
        try {
            return new TenantId(value);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("tenant: " + e.getMessage());
        }
    }

    private static ApiProblem notFound(String what, String name) {
        String printable = name.length() > 64 || !name.matches("[A-Za-z0-9._-]*") ? "(invalid name)" : name;
        return new ApiProblem(404, "no " + what + " " + printable);
    }

    private interface Answer {
        ApiResponse get();
    }

    /** A store outage is 503 (retry), never a 500. */
    private static ApiResponse guarded(Answer answer) {
        try {
            return answer.get();
        } catch (ProvisioningStoreException e) {
            throw new ApiProblem(503, "the provisioning store is unavailable; retry");
        }
    }
}
