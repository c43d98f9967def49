package org.amtbus.audit.siem.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable, bounded, append-only queue of encoded records on disk, for one SIEM output: records are
 * appended to segment files ({@code 00000000000000000001.seg}, ...) as {@code length, CRC-32C, bytes},
 * read back from the delivered position, and a segment is deleted once everything in it is delivered.
 *
 * <p>Invariants: {@link #append} writes a whole batch and forces it to disk <b>once</b> (one fsync per
 * batch, never one per record) before it returns; it appends only what fits within {@code maxBytes} and
 * says how much, so nothing is ever dropped here: the caller keeps the rest (the audit store still holds
 * it). {@link #ack} persists the delivered position atomically (write, fsync, rename), so after a crash
 * delivery resumes at or before the last acknowledged record: at least once, never lost. On open, a torn
 * record at the end of the last segment (a crash mid-write) is cut off; everything before it is kept.
 *
 * <p>Thread-safe (one feeding and one delivering thread, serialized by the monitor); blocking file I/O.
 */
public final class Spool implements AutoCloseable {

    static final int RECORD_HEADER = 8;
    /** Largest single record; a frame or document of ours is far smaller. */
    public static final int MAX_RECORD_BYTES = 1 << 20;
    private static final String ACK_FILE = "delivered";
    private static final String SUFFIX = ".seg";
    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);

    /** A place in the spool: segment number and byte offset in it. */
    public record Position(long segment, long offset) implements Comparable<Position> {
        @Override
        public int compareTo(Position other) {
            int bySegment = Long.compare(segment, other.segment);
            return bySegment != 0 ? bySegment : Long.compare(offset, other.offset);
        }
    }

    /** Records read from the delivered position, and where the next read would start. */
    public record Batch(List<byte[]> records, Position end) {
        public boolean isEmpty() {
            return records.isEmpty();
        }
    }

    private final Path directory;
    private final long maxBytes;
    private final long segmentBytes;
    private final TreeMap<Long, Long> segmentSizes = new TreeMap<>();
    private Position delivered;
    private FileChannel writer;
    private long pendingRecords;

    private Spool(Path directory, long maxBytes, long segmentBytes) {
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
    }

    /**
     * Opens (or creates) the spool in {@code directory}, recovering after a crash.
     *
     * @param maxBytes     bound of undelivered bytes on disk
     * @param segmentBytes size at which a new segment file is started
     */
    public static Spool open(Path directory, long maxBytes, long segmentBytes) {
        Objects.requireNonNull(directory, "directory");
        if (maxBytes < MAX_RECORD_BYTES || segmentBytes < 4096) {
            throw new IllegalArgumentException("a spool needs maxBytes >= " + MAX_RECORD_BYTES + " and segmentBytes >= 4096");
        }
        Spool spool = new Spool(directory, maxBytes, segmentBytes);
        try {
            spool.recover();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the SIEM spool in " + directory, e);
        }
        return spool;
    }

    private void recover() throws IOException {
        Files.createDirectories(directory);
        try (Stream<Path> files = Files.list(directory)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(SUFFIX)).forEach(n -> {
                long segment = Long.parseLong(n.substring(0, n.length() - SUFFIX.length()));
                segmentSizes.put(segment, 0L);
            });
        }
        delivered = readAck();
        for (Long segment : List.copyOf(segmentSizes.keySet())) {
            if (segment < delivered.segment()) {
                Files.deleteIfExists(segmentFile(segment)); // delivered before a crash, not yet deleted
                segmentSizes.remove(segment);
            }
        }
        if (segmentSizes.isEmpty()) {
            segmentSizes.put(Math.max(1, delivered.segment()), 0L);
        }
        long last = segmentSizes.lastKey();
        for (long segment : segmentSizes.keySet()) {
            long valid = scan(segment, segment == delivered.segment() ? delivered.offset() : 0);
            long size = Files.exists(segmentFile(segment)) ? Files.size(segmentFile(segment)) : 0;
            if (valid < size) {
                if (segment != last) {
                    throw new IOException("segment " + segment + " of the SIEM spool is damaged at byte " + valid
                            + "; move it away to continue (its records would be skipped)");
                }
                LOG.warn("event=siem.spool-torn-tail dir={} segment={} cutAt={} bytesCut={} (a write a crash interrupted; "
                        + "those events are read from the audit store again)", directory, segment, valid, size - valid);
                try (FileChannel channel = FileChannel.open(segmentFile(segment), StandardOpenOption.WRITE)) {
                    channel.truncate(valid);
                    channel.force(true);
                }
            }
            segmentSizes.put(segment, valid);
        }
        if (delivered.segment() < segmentSizes.firstKey()) {
            delivered = new Position(segmentSizes.firstKey(), 0);
        }
        writer = FileChannel.open(segmentFile(last), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        writer.position(segmentSizes.get(last));
    }

    /** Counts valid records from {@code from}; returns the end of the last valid one. */
    private long scan(long segment, long from) throws IOException {
        Path file = segmentFile(segment);
        if (!Files.exists(file)) {
            return 0;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = from;
            while (true) {
                byte[] record = readRecord(channel, position);
                if (record == null) {
                    return position;
                }
                position += RECORD_HEADER + record.length;
                pendingRecords++;
            }
        }
    }

    /** The record at {@code position}, or null at the end or at a torn/corrupt record. */
    private static byte[] readRecord(FileChannel channel, long position) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER);
        if (readFully(channel, header, position) < RECORD_HEADER) {
            return null;
        }
        header.flip();
        int length = header.getInt();
        int crc = header.getInt();
        if (length < 0 || length > MAX_RECORD_BYTES) {
            return null;
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        if (readFully(channel, body, position + RECORD_HEADER) < length) {
            return null;
        }
        byte[] record = body.array();
        return crc32c(record) == crc ? record : null;
    }

    private static int readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        int total = 0;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /**
     * Appends the longest prefix of {@code records} that fits within the bound, forces it to disk once,
     * and returns how many were appended (0 when the spool is full).
     */
    public synchronized int append(List<byte[]> records) {
        int count = 0;
        long room = maxBytes - usedBytes();
        List<ByteBuffer> buffers = new ArrayList<>(records.size() * 2);
        for (byte[] record : records) {
            if (record.length > MAX_RECORD_BYTES) {
                throw new IllegalArgumentException("a SIEM record of " + record.length + " bytes exceeds " + MAX_RECORD_BYTES);
            }
            long need = RECORD_HEADER + record.length;
            if (need > room) {
                break;
            }
            room -= need;
            ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER).putInt(record.length).putInt(crc32c(record));
            buffers.add(header.flip());
            buffers.add(ByteBuffer.wrap(record));
            count++;
        }
        if (count == 0) {
            return 0;
        }
        try {
            long last = segmentSizes.lastKey();
            if (segmentSizes.get(last) >= segmentBytes) {
                writer.force(false);
                writer.close();
                last++;
                writer = FileChannel.open(segmentFile(last), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                segmentSizes.put(last, 0L);
            }
            ByteBuffer[] array = buffers.toArray(ByteBuffer[]::new);
            long written = 0;
            while (array[array.length - 1].hasRemaining()) {
                written += writer.write(array);
            }
            writer.force(false); // the one fsync of this batch
            segmentSizes.merge(last, written, Long::sum);
            pendingRecords += count;
            return count;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the SIEM spool in " + directory, e);
        }
    }

    /** Up to {@code maxRecords} undelivered records (and at most about {@code maxBytes}), oldest first. */
    public synchronized Batch read(int maxRecords, long maxBytesToRead) {
        List<byte[]> records = new ArrayList<>();
        Position position = delivered;
        long bytes = 0;
        try {
            while (records.size() < maxRecords && bytes < maxBytesToRead) {
                Long size = segmentSizes.get(position.segment());
                if (size == null) {
                    break;
                }
                if (position.offset() >= size) {
                    Long next = segmentSizes.higherKey(position.segment());
                    if (next == null) {
                        break;
                    }
                    position = new Position(next, 0);
                    continue;
                }
                try (FileChannel channel = FileChannel.open(segmentFile(position.segment()), StandardOpenOption.READ)) {
                    long offset = position.offset();
                    while (offset < size && records.size() < maxRecords && bytes < maxBytesToRead) {
                        byte[] record = readRecord(channel, offset);
                        if (record == null) {
                            throw new IOException("record at " + position.segment() + ":" + offset + " is damaged");
                        }
                        records.add(record);
                        offset += RECORD_HEADER + record.length;
                        bytes += record.length;
                    }
                    position = new Position(position.segment(), offset);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the SIEM spool in " + directory, e);
        }
        return new Batch(List.copyOf(records), position);
    }

    /** Marks everything up to {@code batch.end()} delivered, durably, and deletes delivered segments. */
    public synchronized void ack(Batch batch) {
        if (batch.isEmpty() || batch.end().compareTo(delivered) <= 0) {
            return;
        }
        try {
            Path tmp = directory.resolve(ACK_FILE + ".tmp");
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(ByteBuffer.wrap((batch.end().segment() + " " + batch.end().offset() + "\n")
                        .getBytes(StandardCharsets.US_ASCII)));
                channel.force(true);
            }
            Files.move(tmp, directory.resolve(ACK_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            delivered = batch.end();
            pendingRecords -= batch.records().size();
            for (Long segment : List.copyOf(segmentSizes.headMap(delivered.segment()).keySet())) {
                Files.deleteIfExists(segmentFile(segment));
                segmentSizes.remove(segment);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record delivery in the SIEM spool in " + directory, e);
        }
    }

    private Position readAck() throws IOException {
        Path file = directory.resolve(ACK_FILE);
        if (!Files.exists(file)) {
            return new Position(segmentSizes.isEmpty() ? 1 : segmentSizes.firstKey(), 0);
        }
        String[] parts = Files.readString(file, StandardCharsets.US_ASCII).trim().split(" ");
        return new Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    }

    /** Undelivered bytes on disk (record headers included). */
    public synchronized long usedBytes() {
        long total = 0;
        for (var entry : segmentSizes.entrySet()) {
            total += entry.getValue();
        }
        Long first = segmentSizes.isEmpty() ? null : segmentSizes.firstKey();
        return first != null && first == delivered.segment() ? total - delivered.offset() : total;
    }

    /** Undelivered records. */
    public synchronized long pendingRecords() {
        return pendingRecords;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public Path directory() {
        return directory;
    }

    private Path segmentFile(long segment) {
        return directory.resolve(String.format("%020d%s", segment, SUFFIX));
    }

    private static int crc32c(byte[] record) {
        CRC32C crc = new CRC32C();
        crc.update(record);
        return (int) crc.getValue();
    }

    @Override
    public synchronized void close() {
        try {
            writer.close();
        } catch (IOException e) {
            LOG.warn("event=siem.spool-close-failed dir={} reason={}", directory, e.toString());
        }
    }
}
