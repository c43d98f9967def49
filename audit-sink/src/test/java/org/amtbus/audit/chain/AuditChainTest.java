package org.amtbus.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AuditChainTest {

    private static final StreamId BROKER = new StreamId("broker-1");
    // computed independently with Python's hashlib (see docs/audit.md for the definition)
    private static final String GENESIS = "df2b1a2fe8bb6fc6d8b958478b8a361606c4a6f9cc67bb8d8250160c7b8fc4a1";
    private static final String HASH_1 = "d6594798212f12a655abb9e89265bfc30f4b6e0f21ebd9cbc2d98c35bfdf156f";
    private static final String HASH_2 = "6a13acc609bf5ed6833918c244ab32d88074568dbd7dd43e503f84edb25b0091";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void matchesTheDocumentedDefinitionByteForByte() {
        // given
        AuditChain chain = AuditChain.start(BROKER);

        // when
        ChainLink first = chain.append(bytes("{\"a\":1}"));
        ChainLink second = chain.append(bytes("{\"a\":2}"));

        // then
        assertThat(Hex.of(AuditChain.genesis(BROKER))).isEqualTo(GENESIS);
        assertThat(first.seq()).isEqualTo(1);
        assertThat(Hex.of(first.prevHash())).isEqualTo(GENESIS);
        assertThat(Hex.of(first.hash())).isEqualTo(HASH_1);
        assertThat(second.seq()).isEqualTo(2);
        assertThat(Hex.of(second.prevHash())).isEqualTo(HASH_1);
        assertThat(Hex.of(second.hash())).isEqualTo(HASH_2);
        assertThat(AuditChain.link(Hex.parse(HASH_1), bytes("{\"a\":2}"), 2)).isEqualTo(Hex.parse(HASH_2));
    }

    @Test
    void resumingFromTheLastLinkContinuesTheSameChain() {
        // given
        AuditChain original = AuditChain.start(BROKER);
        original.append(bytes("one"));
        ChainLink two = original.append(bytes("two"));
        ChainLink three = original.append(bytes("three"));

        // when
        AuditChain resumed = AuditChain.resume(BROKER, two.seq(), two.hash());

        // then
        assertThat(resumed.append(bytes("three"))).isEqualTo(three);
        assertThat(AuditChain.resume(BROKER, 0, null).append(bytes("one")).prevHash())
                .isEqualTo(AuditChain.genesis(BROKER));
    }

    @Test
    void theSameEventsInAnotherStreamOrAtAnotherSeqHashDifferently() {
        byte[] event = bytes("{}");
        assertThat(AuditChain.start(BROKER).append(event).hash())
                .isNotEqualTo(AuditChain.start(new StreamId("broker-2")).append(event).hash());
        byte[] prev = AuditChain.genesis(BROKER);
        assertThat(AuditChain.link(prev, event, 1)).isNotEqualTo(AuditChain.link(prev, event, 2));
    }

    @Test
    void refusesMalformedHashesAndStreamIds() {
        assertThatThrownBy(() -> AuditChain.resume(BROKER, 3, new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditChain.resume(BROKER, -1, new byte[32])).isInstanceOf(IllegalArgumentException.class);
        for (String bad : new String[] {"", " broker", "broker 1", "a\nb", "x".repeat(129), "-broker", "bröker"}) {
            assertThat(StreamId.isValid(bad)).as(bad).isFalse();
            assertThatThrownBy(() -> new StreamId(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(StreamId.isValid("cira-gateway.node-2:7")).isTrue();
    }
}
