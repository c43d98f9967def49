package org.amtbus.platform.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.platform.db.Database;
import org.amtbus.platform.secret.Passwords;
import org.amtbus.platform.secret.SealedFileSecretStore;
import org.amtbus.platform.secret.Secret;
import org.amtbus.platform.testing.SharedKafka;
import org.amtbus.platform.testing.SharedPostgres;
import org.amtbus.platform.testing.TestDirectories;
import org.amtbus.platform.testing.TopicWatch;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.schemas.topic.KafkaTopics;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bulk registration against real PostgreSQL, the sealed store and Kafka: same result and audit trail as one by one. */
class DeviceEnrollmentIT {

    private static final TenantId TENANT = new TenantId("acme");
    private static final AuditEvent.Actor ACTOR = AuditEvent.Actor.system("enrollment-it");
    private static Database database;
    private static Path dir;

    @BeforeAll
    static void start() {
        database = SharedPostgres.newDatabase().migrated();
        dir = TestDirectories.newTemporary("amtbus-enrollment-it-");
        try (org.apache.kafka.clients.admin.Admin admin = SharedKafka.clients().admin()) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(KafkaTopics.AUDIT, 1, (short) 1)))
                    .all().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw new IllegalStateException(e);
            }
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        database.close();
        TestDirectories.deleteRecursively(dir);
    }

    private static DeviceEnrollment.Registration registration(DeviceGuid guid, Secret cira, Secret admin) {
        return new DeviceEnrollment.Registration(guid, TENANT, Device.defaultCiraUsername(guid), Optional.empty(),
                List.of("fleet"), cira, admin);
    }

    @Test
    void registersAFleetInOneGoWithEverySecretStoredAndEveryDeviceAudited() {
        DeviceRegistry registry = new DeviceRegistry(database.dataSource());
        try (SealedFileSecretStore store = SealedFileSecretStore.open(dir.resolve("secrets"));
             Producer<String, byte[]> producer = SharedKafka.clients().producer("enrollment-it");
             AuditLog audit = new AuditLog(producer, Clock.systemUTC(), "enrollment-it");
             TopicWatch<AuditEvent> watch = TopicWatch.open(SharedKafka.clients(), KafkaTopics.AUDIT, AuditEvent.class)) {
            DeviceSecrets secrets = new DeviceSecrets(store);
            DeviceEnrollment enrollment = new DeviceEnrollment(registry, secrets, audit, Clock.systemUTC());
            // given one device already registered one by one, with its own passwords
            DeviceGuid existing = DeviceGuid.of(UUID.randomUUID());
            Secret existingCira = Passwords.amtPassword();
            assertThat(enrollment.register(existing, TENANT, Device.defaultCiraUsername(existing), Optional.empty(),
                    List.of("fleet"), existingCira, Passwords.amtPassword(), ACTOR)).isTrue();

            // when 300 new devices and the existing one are registered in bulk
            List<DeviceEnrollment.Registration> batch = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                batch.add(registration(DeviceGuid.of(UUID.randomUUID()), Passwords.amtPassword(), Passwords.amtPassword()));
            }
            batch.add(registration(existing, Passwords.amtPassword(), Passwords.amtPassword()));
            List<DeviceGuid> added = enrollment.registerAll(batch, ACTOR);

            // then the 300 are registered with both passwords, the existing one is skipped and keeps its own
            assertThat(added).hasSize(300).doesNotContain(existing)
                    .containsExactlyElementsOf(batch.subList(0, 300).stream().map(DeviceEnrollment.Registration::guid).toList());
            for (DeviceEnrollment.Registration r : batch.subList(0, 300)) {
                assertThat(registry.find(r.guid())).isPresent();
                assertThat(secrets.get(r.guid(), DeviceSecrets.Kind.CIRA_PASSWORD))
                        .hasValueSatisfying(s -> assertThat(s.matches(r.ciraPassword())).isTrue());
                assertThat(secrets.get(r.guid(), DeviceSecrets.Kind.AMT_ADMIN_PASSWORD))
                        .hasValueSatisfying(s -> assertThat(s.matches(r.adminPassword())).isTrue());
            }
            assertThat(secrets.get(existing, DeviceSecrets.Kind.CIRA_PASSWORD))
                    .hasValueSatisfying(s -> assertThat(s.matches(existingCira)).isTrue());
            // and each added device has its registration and its two secrets audited, as one by one
            Set<String> targets = added.stream().map(g -> "device:" + g.value()).collect(Collectors.toSet());
            List<AuditEvent> registered = watch.awaitAll("device.registered of the bulk",
                    e -> e.type().equals("device.registered") && targets.contains(e.target()), 300);
            assertThat(registered).extracting(AuditEvent::target).containsExactlyInAnyOrderElementsOf(targets);
            Set<String> secretTargets = added.stream().map(g -> "secret:devices/" + g.value() + "/").collect(Collectors.toSet());
            watch.awaitAll("secret.created of the bulk", e -> e.type().equals("secret.created")
                    && secretTargets.stream().anyMatch(p -> e.target() != null && e.target().startsWith(p)), 600);
            assertThat(watch.seen(e -> e.type().equals("device.registered") && e.target().equals("device:" + existing.value())))
                    .as("the existing device is registered once (one by one), not again by the bulk").hasSize(1);

            // and removing a device of the bulk removes its secrets
            assertThat(enrollment.remove(added.get(0), ACTOR)).isTrue();
            assertThat(secrets.get(added.get(0), DeviceSecrets.Kind.CIRA_PASSWORD)).isEmpty();
        }
    }
}
