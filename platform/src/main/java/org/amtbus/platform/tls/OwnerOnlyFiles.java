package org.amtbus.platform.tls;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files only their owner may read: created 0600 from the first byte (a temporary file with those
 * permissions, then an atomic rename), and refused on load when group or others can read them.
 */
public final class OwnerOnlyFiles {

    private static final Set<PosixFilePermission> OPEN_TO_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private OwnerOnlyFiles() {
    }

    /** Writes {@code content} to {@code file} atomically with mode 0600. */
    public static void write(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(tmp, content);
            try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads a file that must be owner-only; throws with one line naming the file when it is not. */
    public static byte[] read(Path file) throws IOException {
        requireOwnerOnly(file);
        return Files.readAllBytes(file);
    }

    public static void requireOwnerOnly(Path file) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        for (PosixFilePermission p : OPEN_TO_OTHERS) {
            if (perms.contains(p)) {
                throw new InsecureFileException(file + " is readable or writable by others ("
                        + PosixFilePermissions.toString(perms) + "); it must be 0600 (chmod 600 " + file + ")");
            }
        }
    }

    /** A key or secret file whose permissions are wider than owner-only. */
    public static final class InsecureFileException extends IOException {
        public InsecureFileException(String message) {
            super(message);
        }
    }
}
