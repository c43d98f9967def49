package org.amtbus.platform.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.amtbus.platform.kafka.EmbeddedKafka;
import org.amtbus.platform.kafka.KafkaClients;
import org.amtbus.platform.kafka.KafkaConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.Exit;

/**
 * One embedded Kafka node per test JVM, started on first use in a temporary directory on a random
 * loopback port and stopped (directory deleted) by a shutdown hook. Tests isolate themselves by
 * using their own topics ({@link #newTopic}) and group ids.
 *
 * <p>Thread-safe (lazy holder idiom).
 */
public final class SharedKafka {

    private SharedKafka() {
    }

    private static final class Holder {
        static final Path DIR = TestDirectories.newTemporary("amtbus-test-kafka-");
        static final EmbeddedKafka KAFKA = startOnce();

        private static EmbeddedKafka startOnce() {
            // a fatal broker error must fail the test run, not System.exit() the surefire JVM
            Exit.setExitProcedure((status, message) -> {
                throw new IllegalStateException("embedded Kafka asked to exit(" + status + "): " + message);
            });
            Exit.setHaltProcedure((status, message) -> {
                throw new IllegalStateException("embedded Kafka asked to halt(" + status + "): " + message);
            });
            EmbeddedKafka kafka = EmbeddedKafka.start(DIR.resolve("kafka"), EmbeddedKafka.RANDOM_PORT);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                kafka.close();
                TestDirectories.deleteRecursively(DIR);
            }, "shared-kafka-stop"));
            return kafka;
        }
    }

    public static String bootstrapServers() {
        return Holder.KAFKA.bootstrapServers();
    }

    public static KafkaConfig config() {
        return new KafkaConfig(bootstrapServers(), "test");
    }

    public static KafkaClients clients() {
        return new KafkaClients(config());
    }

    /** Creates a topic with a unique name starting with {@code prefix}; returns the name. */
    public static String newTopic(String prefix, int partitions) {
        String name = prefix + "-" + UUID.randomUUID();
        try (Admin admin = clients().admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create test topic " + name, e);
        }
        return name;
    }

    /** A fresh consumer group id, so tests never share committed offsets. */
    public static String newGroupId(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }
}
