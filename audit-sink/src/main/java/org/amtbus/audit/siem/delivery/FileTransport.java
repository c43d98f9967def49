package org.amtbus.audit.siem.delivery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;

/**
 * Appends records (each already ending in a newline) to one file and forces it once per batch. A
 * batch that fails halfway is appended again in full on retry, so a line may appear twice, never
 * be missing. Rotation is left to the operator's tools ({@code copytruncate} is unsafe; rename, then
 * the next batch reopens the path).
 */
public final class FileTransport implements Transport {

    private final Path file;
    private FileChannel channel;

    public FileTransport(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    @Override
    public void send(List<byte[]> records) throws IOException {
        if (channel == null || !Files.exists(file)) {
            close();
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        try {
            ByteBuffer[] buffers = records.stream().map(ByteBuffer::wrap).toArray(ByteBuffer[]::new);
            while (buffers.length > 0 && buffers[buffers.length - 1].hasRemaining()) {
                channel.write(buffers);
            }
            channel.force(false);
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    @Override
    public String describe() {
        return "file " + file;
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to lose: the next send reopens the file
            }
            channel = null;
        }
    }
}
