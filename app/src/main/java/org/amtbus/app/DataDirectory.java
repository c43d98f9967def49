package org.amtbus.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The one directory that holds a node's CA, secrets, PostgreSQL and Kafka data. Created owner-only
 * (0700); refused with one line when it cannot be written or is open to others.
 */
final class DataDirectory {

    static final String ENV = "AMTBUS_APP_DATADIR";

    private DataDirectory() {
    }

    static Path resolve(Path option) {
        Path dir = option;
        if (dir == null) {
            String env = System.getenv(ENV);
            dir = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".amtbus");
        }
        dir = dir.toAbsolutePath().normalize();
        try {
            if (!Files.exists(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException | SecurityException e) {
            throw new StartupException(StartupException.ENVIRONMENT,
                    "data directory " + dir + " cannot be created: " + e.getMessage());
        }
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new StartupException(StartupException.ENVIRONMENT, "data directory " + dir + " is not a writable directory");
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
            if (perms.contains(PosixFilePermission.OTHERS_WRITE) || perms.contains(PosixFilePermission.GROUP_WRITE)) {
                throw new StartupException(StartupException.ENVIRONMENT, "data directory " + dir
                        + " is writable by others (" + PosixFilePermissions.toString(perms) + "); chmod 700 it");
            }
        } catch (IOException e) {
            throw new StartupException(StartupException.ENVIRONMENT, "data directory " + dir + ": " + e.getMessage());
        }
        return dir;
    }
}
