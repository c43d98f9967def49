package org.amtbus.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.amtbus.acl.level.AclAction;
import org.amtbus.acl.level.AclDecisionCache;
import org.amtbus.acl.level.AclLevel;
import org.amtbus.acl.level.AclPolicy;
import org.amtbus.acl.level.Grant;
import org.amtbus.apf.ApfCodec;
import org.amtbus.apf.ApfMessage;
import org.amtbus.audit.chain.AuditChain;
import org.amtbus.audit.chain.StreamId;
import org.amtbus.schemas.SchemaType;
import org.amtbus.schemas.SchemaValidator;
import org.amtbus.schemas.topic.MqttTopic;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Hot paths, each as average time per operation: an ACL decision (computed and cached), MQTT topic
 * parsing, command schema validation, APF frame decoding and encoding, and chaining one audit event (SHA-256
 * over the previous hash, the event's bytes and its sequence number). Run:
 * {@code java -jar bench/target/benchmarks.jar HotPath}. Results and the machine: docs/benchmarks.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HotPathBenchmarks {

    private static final String TOPIC = "amtbus/v1/acme/devices/3f2504e0-4f89-11d3-9a0c-0305e82c3301/commands";

    private AclPolicy policy;
    private AclDecisionCache cache;
    private SchemaValidator validator;
    private byte[] command;
    private ByteBuf channelData;
    private ApfMessage.ChannelData outbound;
    private ByteBuf encoded;
    private AuditChain chain;
    private byte[] auditEvent;

    @Setup
    public void setUp() {
        policy = AclPolicy.of(List.of(
                Grant.of("amtbus/v1/acme/#", AclLevel.BOTH),
                Grant.of("amtbus/v1/acme/alerts", AclLevel.NONE),
                Grant.of("amtbus/v1/other/devices/+/results", AclLevel.SUBSCRIBE)));
        cache = new AclDecisionCache(100_000, java.time.Duration.ofMinutes(5));
        validator = new SchemaValidator();
        command = ("{\"schema\":\"amtbus.command/v1\",\"id\":\"" + UUID.randomUUID() + "\",\"tenant\":\"acme\","
                + "\"guid\":\"3f2504e0-4f89-11d3-9a0c-0305e82c3301\",\"action\":\"power.reset\",\"time\":\""
                + Instant.parse("2026-11-23T12:00:00Z") + "\"}").getBytes(StandardCharsets.UTF_8);
        ByteBuf frame = Unpooled.buffer();
        ApfCodec.encode(new ApfMessage.ChannelData(1, new byte[512]), frame);
        channelData = frame;
        outbound = new ApfMessage.ChannelData(1, new byte[512]);
        encoded = Unpooled.buffer(1024);
        chain = AuditChain.start(new StreamId("broker-1"));
        // an audit event of typical size (a login), as the sink receives it from Kafka
        auditEvent = ("{\"schema\":\"amtbus.audit-event/v1\",\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"auth.login\","
                + "\"outcome\":\"success\",\"actor\":{\"kind\":\"user\",\"name\":\"alice\"},\"source\":\"192.0.2.10\","
                + "\"target\":\"mqtt\",\"details\":{\"protocol\":\"mqtt\",\"client\":\"console-7\"},\"time\":\""
                + Instant.parse("2026-11-23T12:00:00Z") + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public boolean aclDecisionComputed() {
        return policy.canPublish(TOPIC);
    }

    @Benchmark
    public boolean aclDecisionCached() {
        return cache.decide("alice", AclAction.PUBLISH, TOPIC, () -> policy.canPublish(TOPIC));
    }

    @Benchmark
    public MqttTopic topicParse() {
        return MqttTopic.parse(TOPIC);
    }

    @Benchmark
    public Object commandSchemaValidation() {
        return validator.validate(SchemaType.COMMAND, command);
    }

    @Benchmark
    public Object apfChannelDataDecode() {
        ByteBuf in = channelData.duplicate();
        return ApfCodec.decode(in);
    }

    @Benchmark
    public int apfChannelDataEncode() {
        encoded.clear();
        ApfCodec.encode(outbound, encoded);
        return encoded.readableBytes();
    }

    @Benchmark
    public Object auditEventChained() {
        return chain.append(auditEvent);
    }
}
