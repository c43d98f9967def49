package org.amtbus.platform.secret;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.FileSystemResource;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.vault.authentication.AppRoleAuthentication;
import org.springframework.vault.authentication.AppRoleAuthenticationOptions;
import org.springframework.vault.authentication.ClientAuthentication;
import org.springframework.vault.authentication.LifecycleAwareSessionManager;
import org.springframework.vault.authentication.TokenAuthentication;
import org.springframework.vault.client.ClientHttpRequestFactoryFactory;
import org.springframework.vault.client.VaultClients;
import org.springframework.vault.client.VaultEndpoint;
import org.springframework.vault.core.VaultKeyValueOperations;
import org.springframework.vault.core.VaultKeyValueOperationsSupport.KeyValueBackend;
import org.springframework.vault.core.VaultTemplate;
import org.springframework.vault.support.ClientOptions;
import org.springframework.vault.support.SslConfiguration;
import org.springframework.vault.support.VaultResponse;
import org.springframework.web.client.RestOperations;

/**
 * The secret store in HashiCorp Vault (KV version 2): each secret is {@code <mount>/data/<prefix>/<name>} with the
 * value base64-encoded under the key {@code value}; deleting removes every version (the metadata).
 *
 * <p>Invariants: Vault is reached over TLS (plain HTTP only on loopback, for development), trusting only the
 * configured CA when one is given; the credential comes from a file (a token, or an AppRole secret id), never
 * from the environment or the configuration; the session token is renewed before it expires; no value is ever
 * logged. Thread-safe (Spring Vault's template is); blocking network I/O.
 */
public final class VaultSecretStore implements SecretStore {

    private static final Logger LOG = LoggerFactory.getLogger(VaultSecretStore.class);
    private static final String VALUE = "value";

    /** How we log in to Vault. */
    public sealed interface Auth {
        /** A token read from a 0600 file (e.g. a Docker/Kubernetes secret mount). */
        record Token(Path tokenFile) implements Auth {
        }

        /** AppRole: the role id is not secret; the secret id is read from a file. */
        record AppRole(String roleId, Path secretIdFile, String path) implements Auth {
        }
    }

    /**
     * @param mount  the KV v2 engine's mount, e.g. {@code secret}
     * @param prefix the folder of amtbus's secrets inside it, e.g. {@code amtbus}
     * @param caFile PEM CA that signed Vault's certificate; empty to use the JDK's trust store
     */
    public record Config(URI address, String mount, String prefix, Auth auth, Optional<Path> caFile) {
        public Config {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(auth, "auth");
            Objects.requireNonNull(caFile, "caFile");
            if (mount == null || !mount.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")) {
                throw new IllegalArgumentException("the Vault mount must be a simple name, e.g. secret");
            }
            if (prefix == null || !prefix.matches("[a-z0-9][a-z0-9._-]{0,63}(/[a-z0-9][a-z0-9._-]{0,63}){0,3}")) {
                throw new IllegalArgumentException("the Vault prefix must be one to four path segments, e.g. amtbus");
            }
            String scheme = address.getScheme();
            String host = address.getHost();
            boolean loopback = host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"));
            if (!"https".equals(scheme) && !("http".equals(scheme) && loopback)) {
                throw new IllegalArgumentException("Vault must be reached over https (plain http only on loopback), not " + address);
            }
        }
    }

    private final VaultKeyValueOperations kv;
    private final VaultTemplate template;
    private final String mount;
    private final String prefix;
    private final ThreadPoolTaskScheduler scheduler;

    private VaultSecretStore(VaultTemplate template, String mount, String prefix, ThreadPoolTaskScheduler scheduler) {
        this.template = template;
        this.kv = template.opsForKeyValue(mount, KeyValueBackend.KV_2);
        this.mount = mount;
        this.prefix = prefix;
        this.scheduler = scheduler;
    }

    /**
     * Connects and logs in (the first call checks the credential).
     *
     * @throws IllegalStateException with one line naming what is wrong (unreadable credential file, refused login)
     */
    public static VaultSecretStore open(Config config) {
        VaultEndpoint endpoint = VaultEndpoint.from(config.address());
        SslConfiguration ssl = config.caFile()
                .map(ca -> SslConfiguration.forTrustStore(SslConfiguration.KeyStoreConfiguration.of(
                        new FileSystemResource(ca), null, "PEM")))
                .orElse(SslConfiguration.unconfigured());
        var requests = ClientHttpRequestFactoryFactory.create(new ClientOptions(), ssl);
        RestOperations rest = VaultClients.createRestTemplate(endpoint, requests);
        ClientAuthentication auth = switch (config.auth()) {
            case Auth.Token t -> new TokenAuthentication(new String(readCredential(t.tokenFile(), "token"), StandardCharsets.UTF_8));
            case Auth.AppRole a -> new AppRoleAuthentication(AppRoleAuthenticationOptions.builder()
                    .path(a.path())
                    .roleId(AppRoleAuthenticationOptions.RoleId.provided(a.roleId()))
                    .secretId(AppRoleAuthenticationOptions.SecretId.provided(
                            new String(readCredential(a.secretIdFile(), "AppRole secret id"), StandardCharsets.UTF_8)))
                    .build(), rest);
        };
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setThreadNamePrefix("vault-token-renewal-");
        scheduler.setDaemon(true);
        scheduler.initialize();
        LifecycleAwareSessionManager sessions = new LifecycleAwareSessionManager(auth, scheduler, rest);
        VaultTemplate template = new VaultTemplate(endpoint, requests, sessions);
        VaultSecretStore store = new VaultSecretStore(template, config.mount(), config.prefix(), scheduler);
        try {
            store.list("");
        } catch (RuntimeException e) {
            scheduler.shutdown();
            throw new IllegalStateException("cannot use Vault at " + config.address() + " (mount " + config.mount() + "): "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage())));
        }
        LOG.info("event=secret-store.opened backend=vault address={} mount={} prefix={}", config.address(), config.mount(),
                config.prefix());
        return store;
    }

    private static byte[] readCredential(Path file, String what) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            int end = bytes.length;
            while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
                end--;
            }
            if (end == 0) {
                throw new IllegalStateException("the Vault " + what + " file " + file + " is empty");
            }
            return java.util.Arrays.copyOf(bytes, end);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the Vault " + what + " file " + file + ": " + e.getMessage());
        }
    }

    private String path(SecretName name) {
        return prefix + "/" + name.value();
    }

    @Override
    public void put(SecretName name, Secret value) {
        byte[] bytes = value.revealBytes();
        try {
            kv.put(path(name), Map.of(VALUE, Base64.getEncoder().encodeToString(bytes)));
        } finally {
            java.util.Arrays.fill(bytes, (byte) 0);
        }
    }

    @Override
    public Optional<Secret> get(SecretName name) {
        VaultResponse response = kv.get(path(name));
        if (response == null || response.getData() == null || !(response.getData().get(VALUE) instanceof String encoded)) {
            return Optional.empty();
        }
        byte[] bytes = Base64.getDecoder().decode(encoded);
        try {
            return Optional.of(Secret.ofBytes(bytes));
        } finally {
            java.util.Arrays.fill(bytes, (byte) 0);
        }
    }

    @Override
    public boolean delete(SecretName name) {
        if (kv.get(path(name)) == null) {
            return false;
        }
        template.delete(mount + "/metadata/" + path(name));
        return true;
    }

    @Override
    public List<SecretName> list(String namePrefix) {
        List<SecretName> out = new ArrayList<>();
        walk("", out);
        return out.stream().filter(n -> n.value().startsWith(namePrefix)).sorted(java.util.Comparator.comparing(SecretName::value))
                .toList();
    }

    private void walk(String folder, List<SecretName> out) {
        List<String> keys = kv.list(prefix + (folder.isEmpty() ? "" : "/" + folder));
        if (keys == null) {
            return;
        }
        for (String key : keys) {
            String relative = folder.isEmpty() ? key : folder + "/" + key;
            if (key.endsWith("/")) {
                walk(relative.substring(0, relative.length() - 1), out);
            } else {
                out.add(new SecretName(relative));
            }
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public void close() {
        scheduler.shutdown();
    }

    @Override
    public String toString() {
        return "VaultSecretStore[mount=" + mount + ", prefix=" + prefix + "]";
    }
}
