package org.amtbus.provisioning.profile;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.platform.secret.Secret;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.TenantId;

/**
 * Administration of profiles and domains, for the CLI ({@code amtbus profile|domain ...}) and the admin API.
 *
 * <p>Invariants: every change is one audit event ({@code profile.created|changed|deleted},
 * {@code domain.created|changed|deleted}) naming the tenant and the profile or domain, never the .pfx or
 * its password; a refused change changes nothing and is audited as a failure with its reason; no read
 * returns a domain's .pfx or password ({@link Domain} has neither); the caller's {@code pfx} and
 * {@code password} arrays are wiped. Blocking (JDBC, secret store).
 */
public final class ProfileAdmin {

    private final ProfileStore profiles;
    private final DomainStore domains;
    private final AuditLog audit;

    public ProfileAdmin(ProfileStore profiles, DomainStore domains, AuditLog audit) {
        this.profiles = Objects.requireNonNull(profiles);
        this.domains = Objects.requireNonNull(domains);
        this.audit = Objects.requireNonNull(audit);
    }

    /** Creates or replaces a profile. */
    public ProfileStore.Put putProfile(Profile profile, AuditEvent.Actor by) {
        ProfileStore.Put put = profiles.put(profile);
        audit.event(put == ProfileStore.Put.CREATED ? "profile.created" : "profile.changed").actor(by)
                .tenant(profile.tenant()).target(target(profile.tenant(), profile.name()))
                .detail("controlMode", profile.controlMode().wireName())
                .detail("mps", profile.cira().mpsAddress() + ":" + profile.cira().mpsPort())
                .detail("mpsRoot", profile.cira().mpsRoot().isPresent() ? "profile" : "node-ca")
                .detail("periodicSeconds", Integer.toString(profile.cira().periodicSeconds()))
                .detail("userInitiated", Boolean.toString(profile.cira().userInitiated()))
                .detail("userConsent", profile.userConsent().wireName())
                .detail("network", profile.network().mode().name().toLowerCase(java.util.Locale.ROOT))
                .detail("tags", String.join(",", profile.tags())).emit();
        return put;
    }

    public List<Profile> listProfiles(Optional<TenantId> tenant) {
        return profiles.list(tenant);
    }

    public Optional<Profile> showProfile(TenantId tenant, String name) {
        return profiles.find(tenant, name);
    }

    /** Deletes a profile; false (nothing audited) when there was none. */
    public boolean deleteProfile(TenantId tenant, String name, AuditEvent.Actor by) {
        boolean deleted = profiles.delete(tenant, name);
        if (deleted) {
            audit.event("profile.deleted").actor(by).tenant(tenant).target(target(tenant, name)).emit();
        }
        return deleted;
    }

    /**
     * Creates or replaces a domain from its .pfx and password: the .pfx must open, hold an RSA key with a
     * complete chain (at most 4) and a leaf whose CN or DNS name lies under {@code dnsSuffix}.
     *
     * @throws IllegalArgumentException (audited as a failure) when any of that does not hold
     */
    public Domain putDomain(String name, TenantId tenant, String dnsSuffix, byte[] pfx, char[] password, AuditEvent.Actor by) {
        try {
            Domain domain;
            try {
                ProvisioningCertificate certificate = ProvisioningCertificate.fromPkcs12(pfx, password);
                String suffix = Domain.normalizeSuffix(dnsSuffix);
                if (!certificate.coversSuffix(suffix)) {
                    throw new IllegalArgumentException("the certificate's leaf (" + certificate.leaf().getSubjectX500Principal().getName()
                            + ") is not for a name under " + suffix + ": AMT would refuse it");
                }
                domain = new Domain(name, tenant, suffix, certificate.leaf().getSubjectX500Principal().getName(),
                        certificate.rootSha256(), certificate.expiresAt());
            } catch (IllegalArgumentException e) {
                refused("domain.created", by, tenant, name, e.getMessage());
                throw e;
            }
            ProfileStore.Put put;
            try {
                put = domains.put(domain, Secret.ofBytes(pfx), Secret.ofChars(password));
            } catch (IllegalArgumentException e) {
                refused("domain.created", by, tenant, name, e.getMessage());
                throw e;
            }
            audit.event(put == ProfileStore.Put.CREATED ? "domain.created" : "domain.changed").actor(by).tenant(tenant)
                    .target("domain:" + name).detail("dnsSuffix", domain.dnsSuffix()).detail("rootSha256", domain.rootSha256())
                    .detail("expiresAt", domain.expiresAt().toString())
                    .detail("secrets", DomainStore.pfxName(name) + "," + DomainStore.pfxPasswordName(name)).emit();
            return domain;
        } finally {
            Arrays.fill(pfx, (byte) 0);
            Arrays.fill(password, '\0');
        }
    }

    public List<Domain> listDomains(Optional<TenantId> tenant) {
        return domains.list(tenant);
    }

    public Optional<Domain> showDomain(String name) {
        return domains.find(name);
    }

    /**
     * The domain's certificate chain, leaf to root, as facts (subjects, fingerprints, validity): opened from the
     * secret store, the key and the password never leave this method.
     *
     * @throws IllegalStateException when the .pfx is missing or no longer opens
     */
    public Optional<List<CertificateFacts>> domainChain(String name) {
        return domains.find(name).map(d -> domains.openCertificate(d).leafToRoot().stream().map(CertificateFacts::of).toList());
    }

    /** Deletes a domain and its secrets; false (nothing audited) when there was none. */
    public boolean deleteDomain(String name, AuditEvent.Actor by) {
        Optional<Domain> domain = domains.find(name);
        if (domain.isEmpty()) {
            return false;
        }
        boolean deleted = domains.delete(name);
        audit.event("domain.deleted").actor(by).tenant(domain.get().tenant()).target("domain:" + name).emit();
        return deleted;
    }

    private void refused(String type, AuditEvent.Actor by, TenantId tenant, String name, String reason) {
        // the name came from a client: an invalid one is not echoed into the audit trail
        String target = name != null && Domain.NAME.matcher(name).matches() ? "domain:" + name : "domain:(invalid name)";
        audit.event(type).actor(by).tenant(tenant).target(target).outcome(AuditEvent.Outcome.FAILURE).reason(reason).emit();
    }

    private static String target(TenantId tenant, String profile) {
        return "profile:" + tenant.value() + "/" + profile;
    }
}
