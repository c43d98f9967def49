package org.amtbus.audit.siem.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

    private static final long MAX = 4L << 20;
    private static final long SEGMENT = 4096;

    @TempDir
    Path dir;

    @Test
    void readsBackInOrderAcrossSegmentsAndDeletesDeliveredSegments() throws IOException {
        // given
        try (Spool spool = Spool.open(dir, MAX, SEGMENT)) {
            for (int batch = 0; batch < 10; batch++) {
                assertThat(spool.append(records(batch * 100, 100))).isEqualTo(100);
            }
            assertThat(segments()).hasSizeGreaterThan(3);

            // when
            List<String> read = new ArrayList<>();
            Spool.Batch b;
            while (!(b = spool.read(150, Long.MAX_VALUE)).isEmpty()) {
                b.records().forEach(r -> read.add(new String(r, StandardCharsets.UTF_8)));
                spool.ack(b);
            }

            // then
            assertThat(read).containsExactlyElementsOf(strings(0, 1000));
            assertThat(spool.pendingRecords()).isZero();
            assertThat(spool.usedBytes()).isZero();
            assertThat(segments()).hasSize(1);
        }
    }

    @Test
    void whatWasNotAcknowledgedIsReadAgainAfterReopening() {
        // given
        try (Spool spool = Spool.open(dir, MAX, SEGMENT)) {
            spool.append(records(0, 300));
            spool.ack(spool.read(120, Long.MAX_VALUE));
            spool.read(100, Long.MAX_VALUE); // read but never acknowledged: the process "crashed" here
        }

        // when
        try (Spool reopened = Spool.open(dir, MAX, SEGMENT)) {
            // then
            assertThat(reopened.pendingRecords()).isEqualTo(180);
            assertThat(reopened.read(1000, Long.MAX_VALUE).records()).extracting(r -> new String(r, StandardCharsets.UTF_8))
                    .containsExactlyElementsOf(strings(120, 180));
        }
    }

    @Test
    void aTornRecordAtTheEndIsCutOffAndEverythingBeforeItKept() throws IOException {
        // given: a crash in the middle of writing a record
        try (Spool spool = Spool.open(dir, MAX, 1 << 20)) {
            spool.append(records(0, 50));
        }
        Path last = segments().getLast();
        Files.write(last, new byte[] {0, 0, 0, 100, 1, 2, 3, 4, 'p', 'a', 'r'}, StandardOpenOption.APPEND);

        // when
        try (Spool spool = Spool.open(dir, MAX, 1 << 20)) {
            spool.append(records(50, 10));

            // then
            assertThat(spool.pendingRecords()).isEqualTo(60);
            assertThat(spool.read(1000, Long.MAX_VALUE).records()).extracting(r -> new String(r, StandardCharsets.UTF_8))
                    .containsExactlyElementsOf(strings(0, 60));
        }
    }

    @Test
    void aFullSpoolTakesOnlyWhatFitsAndDropsNothing() {
        try (Spool spool = Spool.open(dir, Spool.MAX_RECORD_BYTES, SEGMENT * 64)) {
            // given: records of 100 KiB, the bound is 1 MiB
            List<byte[]> big = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                big.add(new byte[100 * 1024]);
            }

            // when
            int first = spool.append(big);

            // then: a prefix was taken, the caller keeps the rest
            assertThat(first).isEqualTo(10);
            assertThat(spool.append(big.subList(first, big.size()))).isZero();

            // and after a delivery there is room again
            spool.ack(spool.read(5, Long.MAX_VALUE));
            assertThat(spool.append(big.subList(first, big.size()))).isEqualTo(5);
            assertThat(spool.pendingRecords()).isEqualTo(10);
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }

    private static List<byte[]> records(int from, int n) {
        return strings(from, n).stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    }

    private static List<String> strings(int from, int n) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add("record-" + i + " ünï 😀");
        }
        return out;
    }
}
