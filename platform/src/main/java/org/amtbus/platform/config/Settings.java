package org.amtbus.platform.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The merged settings of one process: a YAML file (nested sections, e.g. {@code broker: {mqtt: {port: 8883}}}
 * is the key {@code broker.mqtt.port}) overridden by environment variables ({@code AMTBUS_BROKER_MQTT_PORT}:
 * {@code AMTBUS_} + the key upper-cased with dots as underscores).
 *
 * <p>Invariants: every accessor validates and fails with one {@link ConfigException} line naming the
 * key; secrets are never accepted here (a key that names a password, secret, token or private key is
 * refused: secrets live in the secret store); {@link #rejectUnknownKeys()} names any key in the file
 * that no service read, so a typo cannot silently fall back to a default.
 */
public final class Settings {

    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(password|passphrase|secret|token|privatekey|apikey)$");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
    private static final String ENV_PREFIX = "AMTBUS_";

    private final Map<String, String> file;
    private final Map<String, String> env;
    private final Optional<Path> source;
    private final Set<String> read = ConcurrentHashMap.newKeySet();

    private Settings(Map<String, String> file, Map<String, String> env, Optional<Path> source) {
        this.file = file;
        this.env = env;
        this.source = source;
        for (String key : file.keySet()) {
            if (SECRET_KEY.matcher(key).matches()) {
                throw new ConfigException(key + ": secrets are not accepted in the configuration file; "
                        + "they live in the secret store");
            }
        }
    }

    /** Loads {@code file} (if present) and overlays the environment. */
    public static Settings load(Optional<Path> file, Map<String, String> environment) {
        Map<String, String> values = new LinkedHashMap<>();
        if (file.isPresent()) {
            Path path = file.get();
            if (!Files.isRegularFile(path)) {
                throw new ConfigException("configuration file " + path + " does not exist or is not a file");
            }
            try {
                JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(path.toFile());
                if (root != null && !root.isMissingNode() && !root.isNull()) {
                    if (!root.isObject()) {
                        throw new ConfigException("configuration file " + path + ": the top level must be a mapping of sections");
                    }
                    flatten("", root, values, path);
                }
            } catch (JsonProcessingException e) {
                var loc = e.getLocation();
                throw new ConfigException("configuration file " + path + (loc != null ? " line " + loc.getLineNr() : "")
                        + ": not valid YAML (" + e.getOriginalMessage() + ")");
            } catch (IOException e) {
                throw new ConfigException("configuration file " + path + " cannot be read: " + e.getMessage());
            }
        }
        return new Settings(values, Map.copyOf(environment), file);
    }

    /** Settings from an in-memory map of keys (tests, and roles started in-process). */
    public static Settings of(Map<String, String> values) {
        return new Settings(new LinkedHashMap<>(values), Map.of(), Optional.empty());
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out, Path path) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String key = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
            JsonNode v = f.getValue();
            if (v.isObject()) {
                flatten(key, v, out, path);
            } else if (v.isArray()) {
                List<String> items = new ArrayList<>();
                v.forEach(item -> items.add(item.asText()));
                out.put(key, String.join(",", items));
            } else if (!v.isNull()) {
                out.put(key, v.asText());
            }
        }
    }

    /** The raw value of a key: environment first, then the file. */
    public Optional<String> raw(String key) {
        read.add(key);
        String fromEnv = env.get(envName(key));
        if (fromEnv != null) {
            if (SECRET_KEY.matcher(key).matches()) {
                throw new ConfigException(envName(key) + ": secrets are not accepted from the environment; "
                        + "they live in the secret store");
            }
            return Optional.of(fromEnv.strip());
        }
        return Optional.ofNullable(file.get(key)).map(String::strip);
    }

    /** The environment variable that overrides {@code key}. */
    public static String envName(String key) {
        return ENV_PREFIX + key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    public String string(String key, String def, Pattern allowed, String description) {
        String v = raw(key).orElse(def);
        if (v != null && !allowed.matcher(v).matches()) {
            throw bad(key, v, description);
        }
        return v;
    }

    public int intIn(String key, int def, int min, int max) {
        Optional<String> v = raw(key);
        if (v.isEmpty()) {
            return def;
        }
        try {
            int parsed = Integer.parseInt(v.get());
            if (parsed < min || parsed > max) {
                throw bad(key, v.get(), "a whole number from " + min + " to " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw bad(key, v.get(), "a whole number from " + min + " to " + max);
        }
    }

    /** A TCP port; 0 means "any free port" only where {@code allowZero}. */
    public int port(String key, int def, boolean allowZero) {
        Optional<String> v = raw(key);
        if (v.isEmpty()) {
            return def;
        }
        String what = allowZero ? "a port (1-65535, or 0 for a random free port)" : "a port (1-65535)";
        try {
            int p = Integer.parseInt(v.get());
            if (p < (allowZero ? 0 : 1) || p > 65535) {
                throw bad(key, v.get(), what);
            }
            return p;
        } catch (NumberFormatException e) {
            throw bad(key, v.get(), what);
        }
    }

    public boolean bool(String key, boolean def) {
        Optional<String> v = raw(key);
        if (v.isEmpty()) {
            return def;
        }
        return switch (v.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw bad(key, v.get(), "true or false");
        };
    }

    /** A duration such as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}. */
    public Duration duration(String key, Duration def, Duration min, Duration max) {
        Optional<String> v = raw(key);
        if (v.isEmpty()) {
            return def;
        }
        String what = "a duration like 30s, 5m or 1h, from " + format(min) + " to " + format(max);
        Matcher m = DURATION.matcher(v.get());
        if (!m.matches()) {
            throw bad(key, v.get(), what);
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw bad(key, v.get(), what);
        }
        return d;
    }

    /** An IP address literal (no name lookups at start). */
    public InetAddress address(String key, InetAddress def) {
        Optional<String> v = raw(key);
        if (v.isEmpty()) {
            return def;
        }
        return ipLiteral(v.get()).orElseThrow(() -> bad(key, v.get(), "an IP address such as 0.0.0.0, 127.0.0.1 or ::1"));
    }

    /** Parses an IPv4 or IPv6 literal without ever asking DNS; empty for anything else. */
    public static Optional<InetAddress> ipLiteral(String text) {
        if (text == null || !text.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** A comma-separated list (or a YAML list). */
    public List<String> list(String key, List<String> def) {
        return raw(key).map(v -> v.isEmpty() ? List.<String>of()
                : List.of(v.split("\\s*,\\s*"))).orElse(def);
    }

    /**
     * Call after every service built its configuration: names keys in the file that nobody read.
     */
    public void rejectUnknownKeys() {
        Set<String> unknown = new TreeSet<>(file.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw new ConfigException("unknown setting" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + source.map(p -> " in " + p).orElse("") + " (see docs/configuration.md)");
        }
    }

    private static ConfigException bad(String key, String value, String allowed) {
        String shown = value.length() > 60 ? value.substring(0, 60) + "..." : value;
        return new ConfigException(key + ": '" + shown.replaceAll("\\p{Cntrl}", "?") + "' is not " + allowed);
    }

    private static String format(Duration d) {
        if (d.toMillis() < 1000) {
            return d.toMillis() + "ms";
        }
        if (d.toSeconds() < 60) {
            return d.toSeconds() + "s";
        }
        if (d.toMinutes() < 60) {
            return d.toMinutes() + "m";
        }
        return d.toHours() < 48 ? d.toHours() + "h" : d.toDays() + "d";
    }
}
