package org.amtbus.platform.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealedFileSecretStoreTest {

    @TempDir
    Path dir;

    private static final SecretName ADMIN = new SecretName("devices/3f2504e0-4f89-11d3-9a0c-0305e82c3301/amt-admin");

    @Test
    void keepsSecretsAcrossCloseAndReopen() {
        // given
        Secret password = Passwords.amtPassword();
        try (SealedFileSecretStore store = SealedFileSecretStore.open(dir)) {
            store.put(ADMIN, password);
        }

        // when
        try (SealedFileSecretStore store = SealedFileSecretStore.open(dir)) {
            // then
            assertThat(store.get(ADMIN)).hasValueSatisfying(s -> assertThat(s.matches(password)).isTrue());
            assertThat(store.list("devices/")).containsExactly(ADMIN);
            assertThat(store.delete(ADMIN)).isTrue();
            assertThat(store.get(ADMIN)).isEmpty();
            assertThat(store.delete(ADMIN)).isFalse();
        }
    }

    @Test
    void theStoreFileHoldsNoPlaintextAndBothFilesAreOwnerOnly() throws Exception {
        List<byte[]> values = new ArrayList<>();
        try (SealedFileSecretStore store = SealedFileSecretStore.open(dir)) {
            for (int i = 0; i < 20; i++) {
                Secret s = Passwords.amtPassword();
                values.add(s.revealBytes());
                store.put(new SecretName("test/s" + i), s);
            }
        }
        String file = Files.readString(dir.resolve(SealedFileSecretStore.STORE_FILE), StandardCharsets.ISO_8859_1);
        for (byte[] v : values) {
            assertThat(file).doesNotContain(new String(v, StandardCharsets.ISO_8859_1));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(SealedFileSecretStore.STORE_FILE))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(SealedFileSecretStore.MASTER_KEY_FILE))))
                .isEqualTo("rw-------");
    }

    @Test
    void anEditedEntryIsDetectedNotReturned() throws Exception {
        try (SealedFileSecretStore store = SealedFileSecretStore.open(dir)) {
            store.put(ADMIN, Passwords.amtPassword());
        }
        Path file = dir.resolve(SealedFileSecretStore.STORE_FILE);
        String content = Files.readString(file);
        int at = content.indexOf("\" : \"") + 10;
        char flipped = content.charAt(at) == 'A' ? 'B' : 'A';
        Files.writeString(file, content.substring(0, at) + flipped + content.substring(at + 1));

        assertThatThrownBy(() -> SealedFileSecretStore.open(dir))
                .isInstanceOf(SealedFileSecretStore.TamperedSecretException.class)
                .hasMessageContaining(ADMIN.value());
    }

    @Test
    void anEntryMovedToAnotherNameDoesNotOpen() throws Exception {
        try (SealedFileSecretStore store = SealedFileSecretStore.open(dir)) {
            store.put(new SecretName("a/one"), Passwords.amtPassword());
        }
        Path file = dir.resolve(SealedFileSecretStore.STORE_FILE);
        Files.writeString(file, Files.readString(file).replace("\"a/one\"", "\"a/two\""));

        assertThatThrownBy(() -> SealedFileSecretStore.open(dir)).isInstanceOf(SealedFileSecretStore.TamperedSecretException.class);
    }

    @Test
    void aDifferentMasterKeyCannotOpenTheStore() throws Exception {
        try (SealedFileSecretStore store = SealedFileSecretStore.open(dir)) {
            store.put(ADMIN, Passwords.amtPassword());
        }
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        Files.write(dir.resolve(SealedFileSecretStore.MASTER_KEY_FILE), otherKey);

        assertThatThrownBy(() -> SealedFileSecretStore.open(dir)).isInstanceOf(SealedFileSecretStore.TamperedSecretException.class);
    }

    @Test
    void refusesAMasterKeyOthersCanRead() throws Exception {
        SealedFileSecretStore.open(dir).close();
        Files.setPosixFilePermissions(dir.resolve(SealedFileSecretStore.MASTER_KEY_FILE), PosixFilePermissions.fromString("rw-r-----"));

        assertThatThrownBy(() -> SealedFileSecretStore.open(dir)).hasMessageContaining("master.key").hasMessageContaining("0600");
    }

    @Test
    void refusesToInventANewKeyForAnExistingStore() throws Exception {
        try (SealedFileSecretStore store = SealedFileSecretStore.open(dir)) {
            store.put(ADMIN, Passwords.amtPassword());
        }
        Files.delete(dir.resolve(SealedFileSecretStore.MASTER_KEY_FILE));

        assertThatThrownBy(() -> SealedFileSecretStore.open(dir)).hasMessageContaining("master key").hasMessageContaining("missing");
    }

    @Test
    void twoHandlesOnOneStoreSeeEachOthersWritesAndLoseNone() {
        // given two processes' views of the same store (a running node and the amtbus secret command)
        try (SealedFileSecretStore node = SealedFileSecretStore.open(dir);
             SealedFileSecretStore cli = SealedFileSecretStore.open(dir)) {
            node.put(new SecretName("a/node-1"), Passwords.amtPassword());

            // when each writes after the other
            cli.put(new SecretName("a/cli"), Passwords.amtPassword());
            node.put(new SecretName("a/node-2"), Passwords.amtPassword());

            // then neither write is lost and both see all three
            assertThat(node.list("a/")).extracting(SecretName::value).containsExactly("a/cli", "a/node-1", "a/node-2");
            assertThat(cli.list("a/")).extracting(SecretName::value).containsExactly("a/cli", "a/node-1", "a/node-2");
            assertThat(cli.delete(new SecretName("a/node-1"))).isTrue();
            assertThat(node.get(new SecretName("a/node-1"))).isEmpty();
        }
    }

    @Test
    void secretsNeverPrintTheirValue() {
        Secret s = Passwords.amtPassword();
        assertThat(s.toString()).isEqualTo("[hidden]");
        assertThat(String.valueOf(s)).doesNotContain(new String(s.revealChars()));
    }

    @Test
    void putAllWritesManySecretsAtOnceKeepingWhatAnotherWriterAdded() throws Exception {
        java.util.Map<SecretName, Secret> batch = new java.util.LinkedHashMap<>();
        List<byte[]> plain = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            Secret s = Passwords.amtPassword();
            plain.add(s.revealBytes());
            batch.put(new SecretName("devices/d" + i + "/cira-password"), s);
        }
        try (SealedFileSecretStore store = SealedFileSecretStore.open(dir);
             SealedFileSecretStore other = SealedFileSecretStore.open(dir)) {
            // given another writer (the amtbus secret command, say) stored a secret this instance has not read yet
            Secret theirs = Passwords.amtPassword();
            other.put(ADMIN, theirs);

            // when
            store.putAll(batch);

            // then every secret of the batch opens, under its own name, and the other writer's secret survived
            assertThat(store.list("devices/d")).hasSize(2_000);
            batch.forEach((name, value) -> assertThat(other.get(name)).hasValueSatisfying(s -> assertThat(s.matches(value)).isTrue()));
            assertThat(store.get(ADMIN)).hasValueSatisfying(s -> assertThat(s.matches(theirs)).isTrue());

            // and deleteAll removes exactly the named ones, counting only those that were there
            List<SecretName> gone = List.of(new SecretName("devices/d0/cira-password"), new SecretName("devices/d1/cira-password"),
                    new SecretName("devices/none/cira-password"));
            assertThat(store.deleteAll(gone)).isEqualTo(2);
            assertThat(other.list("devices/d")).hasSize(1_998);
            assertThat(other.get(ADMIN)).isPresent();
        }
        // and nothing of it is plaintext on disk, and it all opens after a restart
        String file = Files.readString(dir.resolve(SealedFileSecretStore.STORE_FILE), StandardCharsets.ISO_8859_1);
        for (byte[] v : plain) {
            assertThat(file).doesNotContain(new String(v, StandardCharsets.ISO_8859_1));
        }
        try (SealedFileSecretStore reopened = SealedFileSecretStore.open(dir)) {
            assertThat(reopened.list("devices/d")).hasSize(1_998);
        }
    }

    @Test
    void putAllOfAFleetIsLinearNotOneRewritePerSecret() {
        // one rewrite for the lot: 20,000 secrets one by one would rewrite a growing file 20,000 times (minutes)
        java.util.Map<SecretName, Secret> batch = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 20_000; i++) {
            batch.put(new SecretName("devices/d" + i + "/cira-password"), Passwords.amtPassword());
        }
        try (SealedFileSecretStore store = SealedFileSecretStore.open(dir)) {
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> store.putAll(batch));
            assertThat(store.list("devices/")).hasSize(20_000);
        }
    }
}
