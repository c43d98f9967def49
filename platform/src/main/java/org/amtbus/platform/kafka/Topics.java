package org.amtbus.platform.kafka;

import org.amtbus.schemas.model.GatewayId;
import org.amtbus.schemas.topic.KafkaTopics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The amtbus Kafka topics and their creation. Names live here until the schemas module's
 * {@code KafkaTopics} takes over (the lead reconciles the two).
 *
 * <p>Invariant: after {@link #createAll()} returns, every core topic exists and {@code amtbus.presence}
 * is compacted; running it again (every start does) changes nothing. Existing topics are never
 * altered - a wrong cleanup policy on presence fails the start instead of being silently kept.
 * "Exists" means the controller has committed it: a broker's metadata may lag by milliseconds, which
 * clients absorb by retrying.
 *
 * <p>Methods block on the admin client (up to {@link #TIMEOUT_SECONDS} each); call them from
 * start-up code or a virtual thread. Thread-safe if the admin is.
 */
public final class Topics {

    // the names are the contract in schemas; this class only creates and checks the topics
    private static final String COMMANDS = KafkaTopics.COMMANDS;
    private static final String PRESENCE = KafkaTopics.PRESENCE;
    private static final String ACL_CHANGES = KafkaTopics.ACL_CHANGES;

    public static final List<String> CORE = List.of(KafkaTopics.COMMANDS, KafkaTopics.RESULTS, KafkaTopics.PRESENCE,
            KafkaTopics.EVENTS, KafkaTopics.PROVISIONING, KafkaTopics.AUDIT, KafkaTopics.ALERTS, KafkaTopics.ACL_CHANGES,
            KafkaTopics.GATEWAY_RESULTS, KafkaTopics.AGENT_UP, KafkaTopics.AGENT_DOWN,
            KafkaTopics.CIRA_WSMAN_DOWN, KafkaTopics.CIRA_WSMAN_UP);

    /** Admin calls give up after this; a healthy cluster answers in milliseconds. */
    static final long TIMEOUT_SECONDS = 30;

    private static final Logger LOG = LoggerFactory.getLogger(Topics.class);

    /**
     * Partitioning and replication of the topics.
     *
     * @param commandPartitions partitions of {@code amtbus.commands} (keyed by device GUID: the
     *                          router's parallelism), default {@value #DEFAULT_PARTITIONS}
     * @param partitions        partitions of the other keyed topics and of gateway topics
     * @param replicationFactor 1 for the embedded node, 3 for a shared cluster
     */
    public record Settings(int commandPartitions, int partitions, short replicationFactor) {

        public static final int DEFAULT_PARTITIONS = 6;
        /** Enough for any node count we plan; partitions cannot be reduced later, only added. */
        public static final int MAX_PARTITIONS = 1_000;

        public Settings {
            if (commandPartitions < 1 || commandPartitions > MAX_PARTITIONS) {
                throw new IllegalArgumentException("kafka.commandPartitions must be 1-" + MAX_PARTITIONS
                        + ", was " + commandPartitions);
            }
            if (partitions < 1 || partitions > MAX_PARTITIONS) {
                throw new IllegalArgumentException("kafka.partitions must be 1-" + MAX_PARTITIONS + ", was " + partitions);
            }
            if (replicationFactor < 1) {
                throw new IllegalArgumentException("kafka.replicationFactor must be >= 1, was " + replicationFactor);
            }
        }

        /** The embedded node: default partitions, replication factor 1. */
        public static Settings embedded() {
            return new Settings(DEFAULT_PARTITIONS, DEFAULT_PARTITIONS, (short) 1);
        }

        /**
         * With 3 replicas, {@code acks=all} means "on 2 brokers at least"; with 1 it can only mean the
         * leader.
         */
        int minInSyncReplicas() {
            return replicationFactor >= 3 ? 2 : 1;
        }
    }

    private final Admin admin;
    private final Settings settings;

    public Topics(Admin admin, Settings settings) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The per-gateway command topic, {@code amtbus.gateway.<gatewayId>}. */
    public static String gateway(String gatewayId) {
        return KafkaTopics.gateway(new GatewayId(gatewayId));
    }

    /** Creates the core topics that are missing; verifies presence is compacted. */
    public void createAll() {
        List<NewTopic> wanted = new ArrayList<>();
        for (String name : CORE) {
            wanted.add(newTopic(name));
        }
        create(wanted);
        requireCompacted(PRESENCE);
        awaitLeaders(CORE);
    }

    /**
     * Waits until every partition of {@code topics} has a leader, so the first producers of a fresh cluster do not
     * start with stale metadata (retries and NOT_LEADER warnings). Gives up quietly after {@link #TIMEOUT_SECONDS}:
     * the clients retry on their own.
     */
    private void awaitLeaders(List<String> topics) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            try {
                boolean ready = admin.describeTopics(topics).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).values()
                        .stream().allMatch(t -> t.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
                if (ready) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                LOG.debug("topics not described yet: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        LOG.warn("not every partition of {} has a leader after {} s; clients will retry", topics, TIMEOUT_SECONDS);
    }

    /** Creates {@code amtbus.gateway.<gatewayId>} unless it exists; returns its name. */
    public String ensureGatewayTopic(String gatewayId) {
        String name = gateway(gatewayId);
        create(List.of(newTopic(name)));
        return name;
    }

    NewTopic newTopic(String name) {
        int partitions = switch (name) {
            case COMMANDS -> settings.commandPartitions();
            // ACL changes are rare and must be applied in the order they were made
            case ACL_CHANGES -> 1;
            default -> settings.partitions();
        };
        Map<String, String> configs = new java.util.HashMap<>();
        configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(settings.minInSyncReplicas()));
        if (name.equals(PRESENCE)) {
            // the latest presence per device GUID is the state; older records are history nobody reads
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        return new NewTopic(name, partitions, settings.replicationFactor()).configs(configs);
    }

    private void create(List<NewTopic> topics) {
        CreateTopicsResult result = admin.createTopics(topics);
        for (Map.Entry<String, KafkaFuture<Void>> entry : result.values().entrySet()) {
            try {
                entry.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                LOG.info("created topic [topic: {}]", entry.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + entry.getKey() + ": " + e.getCause(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("creating topic " + entry.getKey() + " timed out after "
                        + TIMEOUT_SECONDS + " s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topics", e);
            }
        }
    }

    /**
     * A topic created a moment ago may not be known to the broker that answers yet (KRaft metadata propagates
     * asynchronously): ask again for a few seconds before calling it missing.
     */
    private Config describeWhenKnown(ConfigResource resource) throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            try {
                return admin.describeConfigs(List.of(resource)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(resource);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    private void requireCompacted(String topic) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            Config config = describeWhenKnown(resource);
            String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                throw new IllegalStateException("topic " + topic + " exists with cleanup.policy=" + policy
                        + " but must be compacted; fix with kafka-configs --alter --add-config cleanup.policy=compact");
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the configuration of topic " + topic + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topic " + topic, e);
        }
    }
}
