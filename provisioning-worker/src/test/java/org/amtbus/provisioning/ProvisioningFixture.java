package org.amtbus.provisioning;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.amtbus.acl.account.Account;
import org.amtbus.acl.account.AccountName;
import org.amtbus.acl.account.AccountStore;
import org.amtbus.acl.grant.GrantStore;
import org.amtbus.acl.grant.StoredGrant;
import org.amtbus.acl.level.AccessLoader;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.platform.db.Database;
import org.amtbus.platform.kafka.KafkaClients;
import org.amtbus.platform.kafka.Topics;
import org.amtbus.platform.secret.SealedFileSecretStore;
import org.amtbus.platform.testing.SharedKafka;
import org.amtbus.platform.testing.SharedPostgres;
import org.amtbus.platform.testing.TestDirectories;
import org.amtbus.platform.tls.CertificateAuthority;
import org.amtbus.provisioning.profile.DomainStore;
import org.amtbus.provisioning.profile.ProfileAdmin;
import org.amtbus.provisioning.profile.ProfileStore;
import org.amtbus.schemas.model.TenantId;
import org.apache.kafka.clients.producer.Producer;

/**
 * Test support for the provisioning ITs: a fresh migrated PostgreSQL database, a sealed secret store, the
 * shared Kafka with every topic, a producer and an audit log on it, a node CA, and accounts with grants
 * (for re-authorization). One per test class; close it after.
 */
final class ProvisioningFixture implements AutoCloseable {

    /** A PHC string of the right shape that no password matches: these accounts never log in. */
    private static final String NO_LOGIN = "$argon2id$v=19$m=1024,t=1,p=1$bm8tbG9naW4$bm8tbG9naW4tbm8tbG9naW4";

    final Path dir;
    final Database database;
    final SealedFileSecretStore secrets;
    final KafkaClients kafka;
    final Producer<String, byte[]> producer;
    final AuditLog audit;
    final CertificateAuthority ca;
    final AccessLoader access;

    ProvisioningFixture(String name) {
        dir = TestDirectories.newTemporary("amtbus-" + name + "-");
        database = SharedPostgres.newDatabase().migrated();
        secrets = SealedFileSecretStore.open(dir.resolve("secrets"));
        kafka = SharedKafka.clients();
        try (var a = kafka.admin()) {
            new Topics(a, Topics.Settings.embedded()).createAll();
        }
        producer = kafka.producer("test");
        audit = new AuditLog(producer, Clock.systemUTC(), name);
        ca = CertificateAuthority.loadOrCreate(dir.resolve("ca"), Clock.systemUTC());
        access = new AccessLoader(new AccountStore(database.dataSource()), new GrantStore(database.dataSource()));
    }

    ProfileAdmin profileAdmin() {
        return new ProfileAdmin(new ProfileStore(database.dataSource()), new DomainStore(database.dataSource(), secrets), audit);
    }

    /** An account of {@code tenant} with {@code level} on {@code pattern} (none when pattern is null). */
    void account(String name, TenantId tenant, String pattern, int level) {
        new AccountStore(database.dataSource()).create(new Account(new AccountName(name), Account.Kind.USER, false, Instant.now(),
                Optional.of(tenant)), NO_LOGIN);
        if (pattern != null) {
            new GrantStore(database.dataSource()).put(new StoredGrant(new AccountName(name), pattern, level));
        }
    }

    @Override
    public void close() {
        producer.close();
        secrets.close();
        database.close();
        TestDirectories.deleteRecursively(dir);
    }
}
