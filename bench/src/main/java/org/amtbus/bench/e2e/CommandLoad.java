package org.amtbus.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commands at a fixed rate from one operator client: each a {@code power.state} query (it changes nothing) published
 * QoS 1 to a device's command topic, round robin over the devices; the latency of a command is from just before its
 * publish to the arrival of its result on the results topic.
 */
final class CommandLoad {

    private static final Logger LOG = LoggerFactory.getLogger(CommandLoad.class);
    static final String ACTION = "power.state";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one run measured. */
    record Result(long sent, long answered, long succeeded, Latencies.Summary latency, Map<String, Long> statuses) {
    }

    private final Mqtt5AsyncClient operator;
    private final String tenant;
    private final List<UUID> devices;
    private final Map<String, Long> pending = new ConcurrentHashMap<>();
    /** Wall-clock milliseconds per command id of the last run: {publish, result}; the node's audit times compare with them. */
    private final Map<String, long[]> wall = new ConcurrentHashMap<>();
    private volatile Latencies latencies = new Latencies(1);
    private final Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();

    CommandLoad(Mqtt5AsyncClient operator, String tenant, List<UUID> devices) throws Exception {
        this.operator = operator;
        this.tenant = tenant;
        this.devices = List.copyOf(devices);
        operator.subscribeWith().topicFilter("amtbus/v1/" + tenant + "/devices/+/results").qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> onResult(p.getPayloadAsBytes())).send().get(15, TimeUnit.SECONDS);
    }

    private void onResult(byte[] payload) {
        long now = System.nanoTime();
        try {
            JsonNode result = JSON.readTree(payload);
            Long sentAt = pending.remove(result.path("commandId").asText());
            if (sentAt != null) {
                latencies.record(now - sentAt);
                long[] w = wall.get(result.path("commandId").asText());
                if (w != null) {
                    w[1] = System.currentTimeMillis();
                }
                statuses.computeIfAbsent(result.path("status").asText("?"), k -> new AtomicLong()).incrementAndGet();
            }
        } catch (IOException e) {
            LOG.warn("unreadable result [bytes: {}]", payload.length);
        }
    }

    /** Publishes {@code ratePerSecond} commands a second for {@code duration}, then waits up to {@code grace} for results. */
    Result run(int ratePerSecond, Duration duration, Duration grace) {
        latencies = new Latencies((int) Math.min(10_000_000, (long) ratePerSecond * duration.toSeconds() + 16));
        statuses.clear();
        pending.clear();
        wall.clear();
        long count = (long) ratePerSecond * duration.toSeconds();
        double period = 1e9 / ratePerSecond;
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
            long due = start + (long) (i * period);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            UUID guid = devices.get((int) (i % devices.size()));
            String id = UUID.randomUUID().toString();
            byte[] payload = command(id, guid).getBytes(StandardCharsets.UTF_8);
            wall.put(id, new long[] {System.currentTimeMillis(), 0});
            pending.put(id, System.nanoTime());
            operator.publishWith().topic("amtbus/v1/" + tenant + "/devices/" + guid + "/commands")
                    .qos(MqttQos.AT_LEAST_ONCE).payload(payload).send();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            NodeProcess.sleep(20);
        }
        Map<String, Long> byStatus = new java.util.TreeMap<>();
        statuses.forEach((k, v) -> byStatus.put(k, v.get()));
        long answered = latencies.count();
        Result r = new Result(count, answered, byStatus.getOrDefault("succeeded", 0L), latencies.summary(), byStatus);
        LOG.info("commands run [rate: {}, sent: {}, answered: {}, statuses: {}, p50Ms: {}, p99Ms: {}, maxMs: {}]", ratePerSecond,
                count, answered, byStatus, r.latency().p50Ms(), r.latency().p99Ms(), r.latency().maxMs());
        return r;
    }

    /** Command id -> {publish, result} in wall-clock milliseconds, for the commands of the last run. */
    Map<String, long[]> wallTimes() {
        return Map.copyOf(wall);
    }

    private String command(String id, UUID guid) {
        return "{\"schema\":\"amtbus.command/v1\",\"id\":\"" + id + "\",\"tenant\":\"" + tenant + "\",\"guid\":\"" + guid
                + "\",\"action\":\"" + ACTION + "\",\"ttlSeconds\":60,\"time\":\""
                + Instant.now().truncatedTo(ChronoUnit.MILLIS) + "\"}";
    }
}
