package org.amtbus.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {

    private final KafkaClients clients = new KafkaClients(new KafkaConfig("127.0.0.1:9092", "node1"));

    @Test
    void producerIsIdempotentAndWaitsForAllReplicas() {
        Map<String, Object> p = clients.producerProperties("bridge");
        assertThat(p).containsEntry("acks", "all")
                .containsEntry("enable.idempotence", true)
                .containsEntry("linger.ms", KafkaClients.LINGER_MS);
        assertThat((Integer) p.get("max.in.flight.requests.per.connection")).isLessThanOrEqualTo(5);
        assertThat((String) p.get("client.id")).startsWith("node1-bridge-");
    }

    @Test
    void aBulkProducerIsAsSafeAndGathersRecordsPerTick() {
        Map<String, Object> p = clients.bulkProducerProperties("audit");
        assertThat(p).containsEntry("acks", "all")
                .containsEntry("enable.idempotence", true)
                .containsEntry("linger.ms", KafkaClients.BULK_LINGER_MS);
        assertThat(KafkaClients.BULK_LINGER_MS).isGreaterThan(KafkaClients.LINGER_MS);
    }

    @Test
    void consumerCommitsOnlyWhenToldAndSkipsAbortedRecords() {
        Map<String, Object> p = clients.consumerProperties("router", KafkaClients.OffsetReset.EARLIEST);
        assertThat(p).containsEntry("enable.auto.commit", false)
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("auto.offset.reset", "earliest")
                .containsEntry("group.id", "router");
    }

    @Test
    void aBulkConsumerFetchesMoreButKeepsTheSafeSettings() {
        Map<String, Object> p = clients.consumerProperties("audit-sink", KafkaClients.OffsetReset.EARLIEST,
                new KafkaClients.BulkFetch(4_000, 256 * 1024, java.time.Duration.ofMillis(50)));
        assertThat(p).containsEntry("max.poll.records", 4_000)
                .containsEntry("fetch.min.bytes", 256 * 1024)
                .containsEntry("fetch.max.wait.ms", 50)
                .containsEntry("enable.auto.commit", false)
                .containsEntry("isolation.level", "read_committed");
        assertThatThrownBy(() -> new KafkaClients.BulkFetch(0, 1, java.time.Duration.ZERO))
                .hasMessageContaining("maxRecords");
        assertThatThrownBy(() -> new KafkaClients.BulkFetch(500, 1, java.time.Duration.ofSeconds(5)))
                .hasMessageContaining("maxWait");
    }

    @Test
    void everyClientGetsItsOwnId() {
        assertThat(clients.producerProperties("audit").get("client.id"))
                .isNotEqualTo(clients.producerProperties("audit").get("client.id"));
    }

    @Test
    void configRefusesMalformedBootstrapServers() {
        assertThatThrownBy(() -> KafkaConfig.of("127.0.0.1")).hasMessageContaining("kafka.bootstrapServers");
        assertThatThrownBy(() -> KafkaConfig.of("a:1,,b:2")).hasMessageContaining("kafka.bootstrapServers");
        assertThat(KafkaConfig.of(" 127.0.0.1:1, localhost:2 ").bootstrapServers()).isEqualTo("127.0.0.1:1,localhost:2");
    }

    @Test
    void kafkaBeyondLoopbackIsReachedOverTls13Only() {
        assertThatThrownBy(() -> KafkaConfig.of("kafka-1.example.org:9093")).hasMessageContaining("kafka.tls.caFile");
        KafkaClients tls = new KafkaClients(new KafkaConfig("kafka-1.example.org:9093", "node1",
                java.util.Optional.of(java.nio.file.Path.of("/etc/amtbus/kafka-ca.pem"))));
        var props = tls.producerProperties("audit");
        assertThat(props).containsEntry("security.protocol", "SSL").containsEntry("ssl.enabled.protocols", "TLSv1.3")
                .containsEntry("ssl.endpoint.identification.algorithm", "https").containsEntry("ssl.truststore.type", "PEM");
    }

    @Test
    void gatewayTopicNamesCannotEscapeTheirPrefix() {
        assertThat(Topics.gateway("gw-1")).isEqualTo("amtbus.gateway.gw-1");
        assertThatThrownBy(() -> Topics.gateway("gw.1/../x")).isInstanceOf(IllegalArgumentException.class);
    }
}
