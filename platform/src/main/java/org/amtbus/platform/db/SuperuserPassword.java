package org.amtbus.platform.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The embedded cluster's superuser password: 32 random bytes, created once and kept in a file
 * readable by the owner only (0600). Stands in until the secret store holds it.
 *
 * <p>Invariant: the value never appears in {@link #toString()}, logs or exception messages.
 * Immutable; any thread.
 */
final class SuperuserPassword {

    private static final int RANDOM_BYTES = 32;
    private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");

    private final String value;

    private SuperuserPassword(String value) {
        this.value = value;
    }

    /** Reads the password from {@code file}, creating it (0600, random) when absent. */
    static SuperuserPassword loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] random = new byte[RANDOM_BYTES];
                new SecureRandom().nextBytes(random);
                String created = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
                try {
                    // created with 0600 from the start: no window in which others may read it
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE));
                    Files.writeString(file, created + "\n", StandardCharsets.US_ASCII);
                    return new SuperuserPassword(created);
                } catch (FileAlreadyExistsException raced) {
                    // another start won; read what it wrote
                }
            }
            if (!Files.getPosixFilePermissions(file).equals(OWNER_READ_WRITE)) {
                throw new IllegalStateException("superuser password file " + file
                        + " must have permissions 0600 (owner read/write only); fix with: chmod 600 " + file);
            }
            String stored = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (stored.isEmpty()) {
                throw new IllegalStateException("superuser password file " + file + " is empty");
            }
            return new SuperuserPassword(stored);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the superuser password file " + file, e);
        }
    }

    String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "SuperuserPassword[hidden]";
    }
}
