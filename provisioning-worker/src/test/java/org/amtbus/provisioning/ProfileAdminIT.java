package org.amtbus.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.amtbus.platform.kafka.KafkaClients;
import org.amtbus.platform.secret.SealedFileSecretStore;
import org.amtbus.platform.testing.TopicWatch;
import org.amtbus.provisioning.profile.CiraPolicy;
import org.amtbus.provisioning.profile.ControlMode;
import org.amtbus.provisioning.profile.Domain;
import org.amtbus.provisioning.profile.DomainStore;
import org.amtbus.provisioning.profile.NetworkSettings;
import org.amtbus.provisioning.profile.Profile;
import org.amtbus.provisioning.profile.ProfileAdmin;
import org.amtbus.provisioning.profile.ProfileStore;
import org.amtbus.provisioning.profile.UserConsent;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.KafkaTopics;
import org.amtbus.sim.amt.ProvisioningPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Profiles and domains in real PostgreSQL and the sealed secret store, every change audited to Kafka. */
class ProfileAdminIT {

    private static final TenantId TENANT = new TenantId("globex");
    private static final AuditEvent.Actor BOB = AuditEvent.Actor.user("bob");
    private static final String PFX_PASSWORD = "Domain-Pfx-Pa55!";
    private static ProvisioningFixture fixture;
    private static SealedFileSecretStore secrets;
    private static KafkaClients kafka;
    private static ProfileAdmin admin;

    @BeforeAll
    static void start() {
        fixture = new ProvisioningFixture("profiles-it");
        secrets = fixture.secrets;
        kafka = fixture.kafka;
        admin = fixture.profileAdmin();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void aProfileIsCreatedChangedListedShownAndDeletedWithAnAuditEventForEachChange() {
        ProvisioningPki pki = new ProvisioningPki("mps.globex.example");
        Profile profile = new Profile("branch", TENANT, ControlMode.ACM,
                new CiraPolicy("mps.globex.example", 4433, Optional.of("mps.globex.example"), Optional.of(pki.root), 60, false),
                UserConsent.KVM, NetworkSettings.staticAddress("10.1.2.3", 24, "10.1.2.1", List.of("10.1.2.53")),
                List.of("branch", "floor:2"));
        try (var audit = TopicWatch.open(kafka, KafkaTopics.AUDIT, AuditEvent.class)) {
            assertThat(admin.putProfile(profile, BOB)).isEqualTo(ProfileStore.Put.CREATED);
            assertThat(admin.showProfile(TENANT, "branch")).contains(profile);

            Profile changed = new Profile("branch", TENANT, ControlMode.CCM, CiraPolicy.defaults("10.0.0.5", 4433),
                    UserConsent.ALL, NetworkSettings.dhcp(), List.of());
            assertThat(admin.putProfile(changed, BOB)).isEqualTo(ProfileStore.Put.CHANGED);
            assertThat(admin.showProfile(TENANT, "branch")).contains(changed);
            assertThat(admin.listProfiles(Optional.of(TENANT))).containsExactly(changed);
            assertThat(admin.listProfiles(Optional.of(new TenantId("other")))).isEmpty();

            assertThat(admin.deleteProfile(TENANT, "branch", BOB)).isTrue();
            assertThat(admin.deleteProfile(TENANT, "branch", BOB)).isFalse();
            assertThat(admin.showProfile(TENANT, "branch")).isEmpty();

            List<AuditEvent> events = audit.awaitAll("profile events", e -> e.type().startsWith("profile.")
                    && "profile:globex/branch".equals(e.target()), 3);
            assertThat(events).extracting(AuditEvent::type).containsExactly("profile.created", "profile.changed", "profile.deleted");
            assertThat(events.get(0).details()).containsEntry("controlMode", "acm").containsEntry("mpsRoot", "profile")
                    .containsEntry("network", "static");
            assertThat(events).allMatch(e -> e.actor().name().equals("bob"));
        }
    }

    @Test
    void aDomainKeepsItsPfxInTheSecretStoreAndNoReadReturnsIt() {
        ProvisioningPki pki = new ProvisioningPki("prov.globex.example");
        byte[] pfx = pki.pfx(PFX_PASSWORD.toCharArray());
        try (var audit = TopicWatch.open(kafka, KafkaTopics.AUDIT, AuditEvent.class)) {
            Domain domain = admin.putDomain("globex-prov", TENANT, "Globex.Example.", pfx.clone(), PFX_PASSWORD.toCharArray(), BOB);

            assertThat(domain.dnsSuffix()).isEqualTo("globex.example");
            assertThat(domain.rootSha256()).isEqualTo(pki.rootSha256());
            assertThat(secrets.get(DomainStore.pfxName("globex-prov")).orElseThrow().revealBytes()).isEqualTo(pfx);
            assertThat(new String(secrets.get(DomainStore.pfxPasswordName("globex-prov")).orElseThrow().revealChars()))
                    .isEqualTo(PFX_PASSWORD);
            assertThat(admin.showDomain("globex-prov")).contains(domain);
            assertThat(admin.listDomains(Optional.of(TENANT))).containsExactly(domain);
            assertThat(domain.toString()).doesNotContain(PFX_PASSWORD);

            assertThat(admin.deleteDomain("globex-prov", BOB)).isTrue();
            assertThat(secrets.list("domains/globex-prov/")).isEmpty();
            assertThat(admin.showDomain("globex-prov")).isEmpty();

            List<AuditEvent> events = audit.awaitAll("domain events", e -> "domain:globex-prov".equals(e.target()), 2);
            assertThat(events).extracting(AuditEvent::type).containsExactly("domain.created", "domain.deleted");
            assertThat(events).allSatisfy(e -> assertThat(Json.writeString(e)).doesNotContain(PFX_PASSWORD));
        }
    }

    @Test
    void aPfxThatDoesNotOpenOrDoesNotCoverTheSuffixIsRefusedAndNothingIsStored() {
        ProvisioningPki pki = new ProvisioningPki("prov.initech.example");
        try (var audit = TopicWatch.open(kafka, KafkaTopics.AUDIT, AuditEvent.class)) {
            assertThatThrownBy(() -> admin.putDomain("initech", TENANT, "initech.example", pki.pfx(PFX_PASSWORD.toCharArray()),
                    "Wrong-Passw0rd!".toCharArray(), BOB))
                    .hasMessage("the .pfx cannot be opened (not PKCS#12, or a wrong password)");
            assertThatThrownBy(() -> admin.putDomain("initech", TENANT, "other.example", pki.pfx(PFX_PASSWORD.toCharArray()),
                    PFX_PASSWORD.toCharArray(), BOB))
                    .hasMessageContaining("is not for a name under other.example");
            assertThat(admin.showDomain("initech")).isEmpty();
            assertThat(secrets.list("domains/initech/")).isEmpty();
            List<AuditEvent> refused = audit.awaitAll("refusals", e -> "domain:initech".equals(e.target()), 2);
            assertThat(refused).allMatch(e -> e.outcome() == AuditEvent.Outcome.FAILURE);
        }
    }
}
