package org.amtbus.broker.connect;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.amtbus.acl.login.LoginResult;
import org.amtbus.broker.auth.ConnectVerdicts;
import org.amtbus.broker.auth.MqttLogin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's login executor and the factory of {@link ConnectGate}s: one gate per MQTT channel, all sharing
 * one bounded pool that runs {@link MqttLogin}.
 *
 * <p>Invariants: at most {@link #THREADS} logins are checked at once (Argon2id is CPU- and memory-bound, so
 * more threads only add memory: 19 MiB each) and at most {@link #QUEUE} wait; beyond that a CONNECT is
 * answered "server busy" at once instead of piling up. A login that throws is treated as "store unavailable",
 * never as accepted. One core is left to the event loops: a burst of logins slows logins down, not the
 * traffic of clients already connected (docs/benchmarks.md, scenario "logins").
 */
public final class ConnectGates implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectGates.class);
    /**
     * One Argon2id check per core but one: the cores stay busy with logins while one is left for the Netty
     * event loops (on 2 vCPU the pair's p50 during a 50-login burst was 2.3 ms with one login thread, 10.8 ms
     * with two). JDBC waits are short next to Argon2id; a JWKS fetch (rate-limited, cached) can hold a thread
     * up to its 4 s timeouts.
     */
    public static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    /** Logins waiting for a thread; 50 clients logging in at once fit many times over. */
    public static final int QUEUE = 1024;
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final MqttLogin login;
    private final ConnectVerdicts verdicts;
    private final ThreadPoolExecutor executor;
    private final AtomicLong busyRefusals = new AtomicLong();

    public ConnectGates(MqttLogin login, ConnectVerdicts verdicts) {
        this.login = Objects.requireNonNull(login);
        this.verdicts = Objects.requireNonNull(verdicts);
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE),
                r -> {
                    Thread t = new Thread(r, "amtbus-mqtt-login-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** A new gate for one channel. */
    ChannelHandler newGate() {
        return new ConnectGate(this);
    }

    ConnectVerdicts verdicts() {
        return verdicts;
    }

    /**
     * Checks a CONNECT's credentials on the login executor and hands the result to {@code then} on that thread;
     * skipped when the connection has closed before its turn came.
     *
     * @throws java.util.concurrent.RejectedExecutionException when the executor is full (or stopped)
     */
    void check(MqttConnectMessage connect, InetAddress source, java.util.function.BooleanSupplier stillOpen,
               Consumer<LoginResult> then) {
        String clientId = connect.payload().clientIdentifier();
        String username = connect.payload().userName();
        byte[] password = connect.payload().passwordInBytes();
        executor.execute(() -> {
            if (!stillOpen.getAsBoolean()) {
                return; // the client gave up (or the connect timeout closed it) while it waited: no work, no verdict
            }
            LoginResult result;
            try {
                result = login.login(clientId, username, password, source);
            } catch (RuntimeException e) {
                LOG.error("event=broker.login-error reason={}", e.getClass().getSimpleName(), e);
                result = LoginResult.refused(LoginResult.Reason.STORE_UNAVAILABLE);
            }
            try {
                then.accept(result);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.debug("event=broker.login-late the channel's event loop has stopped");
            }
        });
    }

    void busy() {
        busyRefusals.incrementAndGet();
    }

    /** CONNECTs answered "server busy" because the login executor was full. */
    public long busyRefusals() {
        return busyRefusals.get();
    }

    /** Logins waiting for a thread now. */
    public int waiting() {
        return executor.getQueue().size();
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
