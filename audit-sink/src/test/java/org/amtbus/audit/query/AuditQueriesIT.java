package org.amtbus.audit.query;

import static org.amtbus.audit.testing.TestEvents.incoming;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.amtbus.audit.checkpoint.CheckpointKey;
import org.amtbus.audit.checkpoint.Checkpointer;
import org.amtbus.audit.store.AuditStore;
import org.amtbus.audit.testing.AuditDatabase;
import org.amtbus.audit.testing.TestEvents;
import org.amtbus.platform.secret.SealedFileSecretStore;
import org.amtbus.platform.testing.ManualClock;
import org.amtbus.schemas.model.AuditEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tail, search, verify and key export against real PostgreSQL. */
class AuditQueriesIT {

    @TempDir
    static Path dir;
    private static AuditDatabase db;
    private static AuditQueries queries;
    private static CheckpointKey key;
    private static List<AuditEvent> events;

    @BeforeAll
    static void fill() {
        db = AuditDatabase.create();
        events = List.of(
                TestEvents.event("auth.login", "alice"),
                TestEvents.event("auth.lockout", "bob"),
                TestEvents.event("acl.denied", "alice"),
                TestEvents.event("auth.login", "bob"),
                TestEvents.event("command.accepted", "alice"));
        new AuditStore(db.dataSource()).append(events.stream().map(e -> incoming("broker-1", e)).toList(), List.of());
        try (SealedFileSecretStore secrets = SealedFileSecretStore.open(dir)) {
            key = CheckpointKey.loadOrCreate(secrets, CheckpointKey.DEFAULT_NAME);
        }
        new Checkpointer(db.dataSource(), key, new ManualClock()).checkpointNow();
        queries = new AuditQueries(db.dataSource());
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void tailReturnsTheLastEventsOldestFirst() {
        List<StoredEvent> tail = queries.tail(2);
        assertThat(tail).extracting(StoredEvent::event).containsExactly(events.get(3), events.get(4));
        assertThat(tail).extracting(StoredEvent::seq).containsExactly(4L, 5L);
        assertThat(tail.getFirst().hash()).hasSize(64);
    }

    @Test
    void searchesByTypeTypePrefixActorAndTime() {
        assertThat(queries.search(AuditSearch.all().withType("auth.login"))).extracting(StoredEvent::event)
                .containsExactly(events.get(0), events.get(3));
        assertThat(queries.search(AuditSearch.all().withType("auth.*"))).extracting(StoredEvent::event)
                .containsExactly(events.get(0), events.get(1), events.get(3));
        assertThat(queries.search(AuditSearch.all().withActor("alice").withLimit(2))).extracting(StoredEvent::event)
                .containsExactly(events.get(2), events.get(4));
        assertThat(queries.search(AuditSearch.all().between(events.get(1).time(), events.get(3).time())))
                .extracting(StoredEvent::event).containsExactly(events.get(1), events.get(2));
        assertThat(queries.search(AuditSearch.all().withActor("nobody"))).isEmpty();
    }

    @Test
    void refusesHostileOrSenselessCriteria() {
        assertThatThrownBy(() -> AuditSearch.all().withType("auth.login' OR '1'='1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditSearch.all().withType("%")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditSearch.all().withActor("a%")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditSearch.all().withLimit(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditSearch.all().between(events.get(3).time(), events.get(1).time()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queries.tail(AuditSearch.MAX_LIMIT + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exportedKeysVerifyTheTrailWithoutTheDatabasesKeyTable() {
        // given
        List<PublicKeyExport> exported = queries.publicKeys();

        // when
        var trusted = exported.stream().map(k -> AuditQueries.readPublicKey(k.pem())).toList();

        // then
        assertThat(exported).singleElement().satisfies(k -> {
            assertThat(k.keyId()).isEqualTo(key.keyId());
            assertThat(k.pem()).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
        });
        assertThat(queries.verify(trusted).intact()).isTrue();
        assertThat(queries.verify().events()).isEqualTo(5);
    }
}
