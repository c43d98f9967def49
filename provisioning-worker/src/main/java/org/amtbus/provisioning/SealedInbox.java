package org.amtbus.provisioning;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.amtbus.schemas.agent.FrameCipher;

/**
 * The answers of one relayed WS-Man connection (through a device's agent or its CIRA gateway), as they arrive
 * sealed and numbered over Kafka: frames are opened in sequence, a missing or unopenable frame or a failure
 * ends the connection with a reason, a close ends it cleanly, and both stay the answer to every later read.
 * Deliveries come on a relay's consumer thread, reads on the worker's. Thread-safe.
 */
public final class SealedInbox {

    private static final Object END = new Object();

    private record Failure(String reason) { }

    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final String peer;
    /** Guarded by {@code inbox}. */
    private long expected;

    /** @param peer who answers, for the reasons: "the agent", "gateway gw-1" */
    public SealedInbox(String peer) {
        this.peer = peer;
    }

    /** One answer frame: {@code close} ends the connection; otherwise {@code sealed} is opened with {@code cipher}. */
    public void frame(FrameCipher cipher, long seq, boolean close, byte[] sealed) {
        synchronized (inbox) {
            if (seq != expected) {
                inbox.add(new Failure("the relay lost a frame of the answer from " + peer + " (expected " + expected
                        + ", got " + seq + ")"));
                return;
            }
            expected++;
            if (close) {
                inbox.add(END);
                return;
            }
            try {
                inbox.add(cipher.open(FrameCipher.Direction.UP, seq, sealed));
            } catch (GeneralSecurityException | RuntimeException e) {
                inbox.add(new Failure("an answer frame from " + peer + " does not open with the connection's key"));
            }
        }
    }

    /** Ends the connection with a reason every read then gets. */
    public void fail(String reason) {
        inbox.add(new Failure(reason));
    }

    /** The next answer bytes, or null once the peer closed the connection. */
    public byte[] receive(Duration timeout) throws IOException, TimeoutException, InterruptedException {
        Object next = inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (next == null) {
            throw new TimeoutException(peer + " answered nothing within " + timeout);
        }
        if (next instanceof Failure f) {
            inbox.add(f);
            throw new IOException(f.reason());
        }
        if (next == END) {
            inbox.add(END);
            return null;
        }
        return (byte[]) next;
    }
}
