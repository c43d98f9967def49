package org.amtbus.apf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.sun.management.ThreadMXBean;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the APF decoder, the parser that faces every device on the network.
 *
 * <p>Properties checked for any input: only {@link ApfProtocolException} escapes; every decoded message
 * consumed exactly its encoded length, at most {@link ApfLimits#MAX_FRAME_LENGTH}; one decode call
 * allocates in proportion to the bytes already received, never to a length it read; re-encoding a
 * decoded message and decoding it again gives an equal message; and the Netty {@link ApfDecoder}, fed
 * the same bytes in two reads, yields the same messages and the same verdict as the pure codec.
 *
 * <p>Under plain {@code mvn verify} this runs in regression mode: once per seed in
 * {@code src/test/resources/org/amtbus/apf/ApfDecoderFuzzTestInputs/decoderIsSafeAndRoundTrips/}
 * plus any crash files found earlier. To fuzz for a bounded time (here, or in CI):
 * <pre>
 * JAZZER_FUZZ=1 JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ./mvnw -B -pl apf -am verify \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dtest=ApfDecoderFuzzTest
 * </pre>
 * The bound is the {@code maxDuration} attribute below: with jazzer-junit 0.24.0 neither
 * {@code -Djazzer.max_duration} on the Maven command line nor a {@code JAZZER_MAX_DURATION} variable changes
 * it (both were tried), so change the attribute to fuzz longer. The generated corpus goes to
 * {@code apf/.cifuzz-corpus/} (ignored by git; keep it between CI runs to resume); a finding is
 * written as a {@code crash-*} file into the inputs directory above and replays in every regression run
 * until fixed: commit it with the fix.
 */
class ApfDecoderFuzzTest {

    /** Slack for the allocations of one decode call that do not scale with the input (records, decoders). */
    private static final long FIXED_ALLOCATION_SLACK = 64 * 1024;
    /** A received byte may be held up to three times: the copy, the record's defensive copy, a char. */
    private static final long ALLOCATION_PER_INPUT_BYTE = 3;

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final ClassLoadingMXBean CLASSES = ManagementFactory.getClassLoadingMXBean();

    @FuzzTest(maxDuration = "60s")
    void decoderIsSafeAndRoundTrips(byte[] input) {
        if (input.length == 0) {
            return;
        }
        // the first byte picks the decoding context and where the stream is split for the Netty decoder
        boolean requestSuccessCarriesPort = (input[0] & 1) == 0;
        byte[] stream = new byte[input.length - 1];
        System.arraycopy(input, 1, stream, 0, stream.length);
        int split = stream.length == 0 ? 0 : (input[0] & 0xFF) % (stream.length + 1);

        Verdict codec = decodeWithCodec(stream, requestSuccessCarriesPort);
        Verdict netty = decodeWithNetty(stream, split, requestSuccessCarriesPort);

        assertThat(netty).isEqualTo(codec);
    }

    /** What a stream decodes to: the messages before the first refusal, and that refusal's reason. */
    private record Verdict(List<ApfMessage> messages, ApfProtocolException.Reason refusal) {
    }

    private static Verdict decodeWithCodec(byte[] stream, boolean requestSuccessCarriesPort) {
        ByteBuf in = Unpooled.wrappedBuffer(stream);
        List<ApfMessage> messages = new ArrayList<>();
        try {
            while (in.isReadable()) {
                if (!messages.isEmpty() && messages.getLast() instanceof ApfMessage.UserAuthFailure
                        && ApfCodec.skipUserAuthFailurePadding(in) && !in.isReadable()) {
                    break;
                }
                int before = in.readerIndex();
                long budget = ALLOCATION_PER_INPUT_BYTE * in.readableBytes() + FIXED_ALLOCATION_SLACK;
                long classesBefore = CLASSES.getTotalLoadedClassCount();
                long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();

                Optional<ApfMessage> decoded = ApfCodec.decode(in, requestSuccessCarriesPort);

                long allocated = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
                // loading (and Jazzer instrumenting) a class on first use allocates megabytes that are not ours
                if (CLASSES.getTotalLoadedClassCount() == classesBefore) {
                    assertThat(allocated).as("bytes allocated by one decode").isLessThanOrEqualTo(budget);
                }
                if (decoded.isEmpty()) {
                    assertThat(in.readerIndex()).as("an incomplete message consumes nothing").isEqualTo(before);
                    break;
                }
                ApfMessage message = decoded.get();
                int consumed = in.readerIndex() - before;
                assertThat(consumed).isEqualTo(ApfCodec.encodedLength(message))
                        .isLessThanOrEqualTo(ApfLimits.MAX_FRAME_LENGTH);
                assertReencodesToAnEqualMessage(message, requestSuccessCarriesPort);
                messages.add(message);
                if (messages.size() > stream.length) {
                    throw new AssertionError("more messages than bytes: the decoder loops");
                }
            }
            return new Verdict(messages, null);
        } catch (ApfProtocolException e) {
            assertThat(e.getMessage()).startsWith(e.reason().name());
            return new Verdict(messages, e.reason());
        }
    }

    private static void assertReencodesToAnEqualMessage(ApfMessage message, boolean requestSuccessCarriesPort) {
        ByteBuf again = Unpooled.buffer(ApfCodec.encodedLength(message));
        ApfCodec.encode(message, again);
        assertThat(again.readableBytes()).isEqualTo(ApfCodec.encodedLength(message));
        assertThat(ApfCodec.decode(again, requestSuccessCarriesPort)).contains(message);
        assertThat(again.isReadable()).isFalse();
    }

    private static Verdict decodeWithNetty(byte[] stream, int split, boolean requestSuccessCarriesPort) {
        ApfDecoder decoder = new ApfDecoder();
        decoder.expectRequestSuccessWithPort(requestSuccessCarriesPort);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        ApfProtocolException.Reason refusal = null;
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(stream, 0, split));
            channel.writeInbound(Unpooled.wrappedBuffer(stream, split, stream.length - split));
        } catch (ApfProtocolException e) {
            refusal = e.reason();
        }
        List<ApfMessage> messages = new ArrayList<>();
        for (Object o; (o = channel.readInbound()) != null; ) {
            messages.add((ApfMessage) o);
        }
        channel.finishAndReleaseAll();
        return new Verdict(messages, refusal);
    }
}
