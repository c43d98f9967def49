package org.amtbus.app;

import java.nio.file.Path;
import java.time.Clock;
import org.amtbus.acl.account.AccountStore;
import org.amtbus.acl.admin.AccountAdmin;
import org.amtbus.acl.change.AclChanges;
import org.amtbus.acl.grant.GrantStore;
import org.amtbus.acl.password.PasswordHasher;
import org.amtbus.acl.password.PasswordPolicy;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.platform.db.Database;
import org.amtbus.platform.db.DatabaseConfig;
import org.amtbus.platform.kafka.KafkaClients;
import org.amtbus.platform.kafka.KafkaConfig;
import org.amtbus.platform.secret.SecretStore;
import org.amtbus.schemas.model.AuditEvent;
import org.apache.kafka.clients.producer.Producer;

/**
 * An operator command's connection to a node's database and Kafka (embedded ones of a running
 * {@code amtbus run}, or the external ones its configuration names), with an audit log whose actor
 * is the local operator.
 */
final class NodeConnection implements AutoCloseable {

    final Database database;
    final AuditLog audit;
    final AuditEvent.Actor actor;
    final KafkaClients kafka;
    private final Producer<String, byte[]> producer;

    private NodeConnection(Database database, KafkaClients kafka, Producer<String, byte[]> producer, AuditLog audit,
                           AuditEvent.Actor actor) {
        this.database = database;
        this.kafka = kafka;
        this.producer = producer;
        this.audit = audit;
        this.actor = actor;
    }

    static NodeConnection open(Path dataDirOption, Path config) {
        Path dataDir = DataDirectory.resolve(dataDirOption);
        NodeSettings settings = NodeSettings.load(dataDir, config);
        Database database;
        try {
            if (settings.database().mode() == DatabaseConfig.Mode.EMBEDDED) {
                database = Database.connectToRunningEmbedded(dataDir, settings.database().port());
            } else {
                try (SecretStore secrets = SecretStores.open(settings)) {
                    char[] password = secrets.get(NodeSettings.DATABASE_PASSWORD).orElseThrow(() -> new StartupException(
                            StartupException.CONFIGURATION, "the secret store has no " + NodeSettings.DATABASE_PASSWORD)).revealChars();
                    database = Database.connect(settings.database().url(), settings.database().user(), () -> password,
                            settings.database().poolSize());
                }
            }
        } catch (IllegalStateException e) {
            throw new StartupException(StartupException.ENVIRONMENT, "cannot reach the node's PostgreSQL (is amtbus run running?): "
                    + OneLine.of(e));
        }
        KafkaConfig kafka = settings.externalKafka().orElseGet(() ->
                new KafkaConfig("127.0.0.1:" + settings.kafkaPort(), "amtbus-cli"));
        KafkaClients clients = new KafkaClients(kafka);
        Producer<String, byte[]> producer = clients.producer("cli-audit");
        AuditEvent.Actor actor = AuditEvent.Actor.system("cli-" + System.getProperty("user.name", "unknown")
                .replaceAll("[^A-Za-z0-9._@-]", "_"));
        return new NodeConnection(database, clients, producer, new AuditLog(producer, Clock.systemUTC(), "cli"), actor);
    }

    AccountAdmin admin() {
        return new AccountAdmin(new AccountStore(database.dataSource()), new GrantStore(database.dataSource()),
                new PasswordHasher(), new PasswordPolicy(), audit, new AclChanges(producer), Clock.systemUTC());
    }

    /** Writes a record and waits until Kafka has it. */
    void sendAndWait(org.apache.kafka.clients.producer.ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new StartupException(StartupException.ENVIRONMENT, "Kafka did not take the record: " + OneLine.of(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException(StartupException.ENVIRONMENT, "interrupted while writing to Kafka");
        }
    }

    @Override
    public void close() {
        // the audit events of this command must reach Kafka before the process ends: hand them to the
        // producer, then flush it
        audit.close();
        producer.flush();
        producer.close();
        database.close();
    }
}
