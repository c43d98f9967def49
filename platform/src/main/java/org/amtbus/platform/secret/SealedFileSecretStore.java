package org.amtbus.platform.secret;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.amtbus.platform.tls.OwnerOnlyFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded secret store: one file of entries, each sealed with AES-256-GCM under a fresh random
 * 96-bit nonce and bound to its name (the name is the GCM associated data, so an entry moved to
 * another name fails to open). The key is a 32-byte master key file created on first start.
 *
 * <p>Invariants: both files are owner-only (0600) and refused when wider; the store file never holds
 * a plaintext value; a changed entry fails loudly, it never yields wrong data; every write replaces
 * the file atomically. Several processes may share the store (a running node and the {@code amtbus secret}
 * command): every write happens under an exclusive file lock on a fresh read of the file, and reads
 * pick up a file another process replaced. Thread-safe (one lock); blocking file I/O.
 */
public final class SealedFileSecretStore implements SecretStore {

    private static final Logger LOG = LoggerFactory.getLogger(SealedFileSecretStore.class);

    public static final String STORE_FILE = "secrets.sealed";
    public static final String MASTER_KEY_FILE = "master.key";
    private static final String FORMAT = "amtbus-sealed-store/1";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Path storeFile;
    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, String> sealed;
    private FileStamp loaded;
    private boolean closed;

    /** What the file looked like when last read, to notice another process's write. */
    private record FileStamp(long modifiedMillis, long size, Object fileKey) {
        static FileStamp of(Path file) throws IOException {
            if (!Files.exists(file)) {
                return new FileStamp(-1, -1, null);
            }
            var attrs = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
            return new FileStamp(attrs.lastModifiedTime().toMillis(), attrs.size(), attrs.fileKey());
        }
    }

    private SealedFileSecretStore(Path storeFile, SecretKey key, Map<String, String> sealed) {
        this.storeFile = storeFile;
        this.key = key;
        this.sealed = sealed;
    }

    /** Opens the store in {@code dir}, creating the master key and an empty store on first use. */
    public static SealedFileSecretStore open(Path dir) {
        return open(dir.resolve(STORE_FILE), dir.resolve(MASTER_KEY_FILE));
    }

    public static SealedFileSecretStore open(Path storeFile, Path masterKeyFile) {
        try {
            byte[] keyBytes;
            if (Files.exists(masterKeyFile)) {
                keyBytes = OwnerOnlyFiles.read(masterKeyFile);
                if (keyBytes.length != KEY_BYTES) {
                    throw new IllegalStateException("secret store master key " + masterKeyFile + " must hold exactly "
                            + KEY_BYTES + " bytes");
                }
            } else {
                if (Files.exists(storeFile)) {
                    throw new IllegalStateException("secret store " + storeFile + " exists but its master key "
                            + masterKeyFile + " is missing; restore the key (a new one cannot open the old secrets)");
                }
                keyBytes = new byte[KEY_BYTES];
                new SecureRandom().nextBytes(keyBytes);
                OwnerOnlyFiles.write(masterKeyFile, keyBytes);
                LOG.info("event=secret-store.created store={} masterKey={}", storeFile, masterKeyFile);
            }
            SecretKey key = new SecretKeySpec(keyBytes, "AES");
            Arrays.fill(keyBytes, (byte) 0);
            Map<String, String> entries = new TreeMap<>();
            if (Files.exists(storeFile)) {
                entries.putAll(readEntries(storeFile));
            }
            SealedFileSecretStore store = new SealedFileSecretStore(storeFile, key, entries);
            store.verifyAll();
            if (!Files.exists(storeFile)) {
                store.locked(() -> {
                    if (!Files.exists(storeFile)) {
                        store.persist();
                    }
                });
            }
            store.loaded = FileStamp.of(storeFile);
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("secret store " + storeFile + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void put(SecretName name, Secret value) {
        requireOpen();
        byte[] plain = value.revealBytes();
        try {
            String entry = seal(name, plain);
            locked(() -> {
                reload();
                sealed.put(name.value(), entry);
                persist();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("secret store " + storeFile + ": could not write " + name, e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** Seals every value, then writes them all under one lock with one rewrite of the file: all or none land. */
    @Override
    public synchronized void putAll(Map<SecretName, Secret> values) {
        requireOpen();
        Map<String, String> entries = new LinkedHashMap<>();
        for (Map.Entry<SecretName, Secret> e : values.entrySet()) {
            byte[] plain = e.getValue().revealBytes();
            try {
                entries.put(e.getKey().value(), seal(e.getKey(), plain));
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        }
        if (entries.isEmpty()) {
            return;
        }
        try {
            locked(() -> {
                reload();
                Map<String, String> before = new TreeMap<>(sealed);
                sealed.putAll(entries);
                try {
                    persist();
                } catch (IOException | RuntimeException e) {
                    sealed.clear();
                    sealed.putAll(before);
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("secret store " + storeFile + ": could not write " + entries.size() + " secrets", e);
        }
    }

    @Override
    public synchronized Optional<Secret> get(SecretName name) {
        requireOpen();
        reloadQuietly();
        String entry = sealed.get(name.value());
        if (entry == null) {
            return Optional.empty();
        }
        byte[] plain = open(name, entry);
        try {
            return Optional.of(Secret.ofBytes(plain));
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    @Override
    public synchronized boolean delete(SecretName name) {
        requireOpen();
        boolean[] removed = new boolean[1];
        try {
            locked(() -> {
                reload();
                removed[0] = sealed.remove(name.value()) != null;
                if (removed[0]) {
                    persist();
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("secret store " + storeFile + ": could not delete " + name, e);
        }
        return removed[0];
    }

    @Override
    public synchronized int deleteAll(Collection<SecretName> names) {
        requireOpen();
        int[] removed = new int[1];
        try {
            locked(() -> {
                reload();
                for (SecretName name : names) {
                    if (sealed.remove(name.value()) != null) {
                        removed[0]++;
                    }
                }
                if (removed[0] > 0) {
                    persist();
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("secret store " + storeFile + ": could not delete " + names.size() + " secrets", e);
        }
        return removed[0];
    }

    @Override
    public synchronized List<SecretName> list(String prefix) {
        requireOpen();
        reloadQuietly();
        return sealed.keySet().stream().filter(n -> n.startsWith(prefix)).map(SecretName::new).toList();
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("secret store is closed");
        }
    }

    private void verifyAll() {
        for (Map.Entry<String, String> e : sealed.entrySet()) {
            byte[] plain = open(new SecretName(e.getKey()), e.getValue());
            Arrays.fill(plain, (byte) 0);
        }
    }

    private String seal(SecretName name, byte[] plain) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(name.value().getBytes(StandardCharsets.UTF_8));
            byte[] sealedBytes = cipher.doFinal(plain);
            byte[] out = new byte[NONCE_BYTES + sealedBytes.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealedBytes, 0, out, NONCE_BYTES, sealedBytes.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal secret " + name + ": " + e.getClass().getSimpleName());
        }
    }

    private byte[] open(SecretName name, String entry) {
        try {
            byte[] in = Base64.getDecoder().decode(entry);
            if (in.length < NONCE_BYTES + TAG_BITS / 8) {
                throw new TamperedSecretException(name);
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(name.value().getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new TamperedSecretException(name);
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    /** Runs {@code action} holding an exclusive lock shared with other processes using this store. */
    private void locked(IoAction action) throws IOException {
        Path lockFile = storeFile.resolveSibling(storeFile.getFileName() + ".lock");
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lockFile,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
             java.nio.channels.FileLock ignored = channel.lock()) {
            action.run();
        }
    }

    /** Replaces the in-memory entries with the file's when another process changed it. */
    private void reload() throws IOException {
        FileStamp now = FileStamp.of(storeFile);
        if (now.equals(loaded) || !Files.exists(storeFile)) {
            return;
        }
        Map<String, String> fresh = readEntries(storeFile);
        sealed.clear();
        sealed.putAll(fresh);
        loaded = now;
    }

    private void reloadQuietly() {
        try {
            reload();
        } catch (IOException e) {
            throw new UncheckedIOException("secret store " + storeFile + ": " + e.getMessage(), e);
        }
    }

    private void persist() throws IOException {
        Map<String, Object> doc = new TreeMap<>();
        doc.put("format", FORMAT);
        doc.put("entries", sealed);
        OwnerOnlyFiles.write(storeFile, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc));
        loaded = FileStamp.of(storeFile);
    }

    private static Map<String, String> readEntries(Path storeFile) throws IOException {
        byte[] bytes = OwnerOnlyFiles.read(storeFile);
        Map<String, Object> doc = new ObjectMapper().readValue(bytes, new TypeReference<>() { });
        if (!FORMAT.equals(doc.get("format")) || !(doc.get("entries") instanceof Map<?, ?> entries)) {
            throw new IOException("not an amtbus sealed store (format " + doc.get("format") + ")");
        }
        Map<String, String> result = new TreeMap<>();
        entries.forEach((k, v) -> result.put(String.valueOf(k), String.valueOf(v)));
        return result;
    }

    /** An entry that does not open under this key and name: the file was changed or the key is wrong. */
    public static final class TamperedSecretException extends IllegalStateException {
        TamperedSecretException(SecretName name) {
            super("secret " + name + " cannot be opened: the store file was altered, or the master key is not the one it was sealed with");
        }
    }
}
