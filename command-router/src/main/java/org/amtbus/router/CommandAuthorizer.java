package org.amtbus.router;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.amtbus.acl.account.AccountName;
import org.amtbus.acl.level.Access;
import org.amtbus.acl.level.AccessLoader;
import org.amtbus.schemas.model.Command;
import org.amtbus.schemas.topic.MqttTopic;

/**
 * Defense in depth: may this principal command this device? The same rule the broker enforced on PUBLISH
 * (level 2 or 3 on the device's command topic), checked again for every command, including those that
 * entered Kafka without the broker. Accounts and grants are cached for at most {@code maxAge} (a grant
 * change is in effect within a second). Blocking on a cache miss (PostgreSQL).
 */
public final class CommandAuthorizer {

    private record Cached(Optional<Access> access, long loadedAt) {
    }

    private final AccessLoader loader;
    private final Duration maxAge;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    public CommandAuthorizer(AccessLoader loader, Duration maxAge, LongSupplier nanoTime) {
        this.loader = Objects.requireNonNull(loader);
        this.maxAge = Objects.requireNonNull(maxAge);
        this.nanoTime = Objects.requireNonNull(nanoTime);
    }

    /** Null when allowed, else the reason it is not. */
    public String refusal(Command command, Optional<String> principal) {
        if (principal.isEmpty()) {
            return "the command carries no principal (it did not come through the broker)";
        }
        Optional<Access> access;
        try {
            access = access(principal.get());
        } catch (IllegalArgumentException e) {
            return "principal " + principal.get() + " is not a valid account name";
        }
        if (access.isEmpty()) {
            return "principal " + principal.get() + " is not an account";
        }
        String topic = new MqttTopic.DeviceTopic(command.tenant(), command.guid(), MqttTopic.DeviceTopic.Kind.COMMANDS).name();
        return access.get().policy().canPublish(topic) ? null
                : "principal " + principal.get() + " may not publish commands to this device";
    }

    private Optional<Access> access(String name) {
        long now = nanoTime.getAsLong();
        Cached cached = cache.get(name);
        if (cached != null && now - cached.loadedAt() < maxAge.toNanos()) {
            return cached.access();
        }
        Optional<Access> loaded = loader.load(new AccountName(name));
        cache.put(name, new Cached(loaded, now));
        if (cache.size() > 10_000) {
            cache.clear();
        }
        return loaded;
    }
}
