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
import java.util.Map;
import java.util.TreeMap;

/**
 * How far into each audit stream an output has spooled: the last seq per stream, kept in a file beside
 * the spool. Invariant: it is written (fsync, atomic rename) only after the records it covers are
 * forced to the spool, so after a crash it is at or behind the spool: events may be spooled twice
 * (harmless, every format carries the event id), never skipped. Not thread-safe: the output's thread
 * owns it.
 */
public final class FeedCursor {

    private static final String FILE = "cursor";

    private final Path file;
    private final Map<String, Long> seqs = new TreeMap<>();
    private final boolean existed;

    private FeedCursor(Path file, boolean existed) {
        this.file = file;
        this.existed = existed;
    }

    public static FeedCursor open(Path directory) {
        Path file = directory.resolve(FILE);
        FeedCursor cursor = new FeedCursor(file, Files.exists(file));
        if (cursor.existed) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        int space = line.lastIndexOf(' ');
                        cursor.seqs.put(line.substring(0, space), Long.parseLong(line.substring(space + 1)));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the SIEM feed cursor " + file, e);
            }
        }
        return cursor;
    }

    /** False for a new output (no cursor file yet). */
    public boolean existed() {
        return existed;
    }

    /** Last spooled seq of each stream (streams not yet seen are absent: from their start). */
    public Map<String, Long> seqs() {
        return Map.copyOf(seqs);
    }

    /** Moves the given streams forward and persists the whole cursor. */
    public void advance(Map<String, Long> lastSeqs) {
        lastSeqs.forEach((stream, seq) -> seqs.merge(stream, seq, Math::max));
        StringBuilder text = new StringBuilder();
        seqs.forEach((stream, seq) -> text.append(stream).append(' ').append(seq).append('\n'));
        try {
            Path tmp = file.resolveSibling(FILE + ".tmp");
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the SIEM feed cursor " + file, e);
        }
    }
}
