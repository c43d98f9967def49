package org.amtbus.gateway.cira;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.amtbus.wsman.client.Transport;

/**
 * One APF channel as a byte stream for the WS-Man client. Bytes to the device queue here and leave in pieces
 * no larger than the device's window (flushed again on every WINDOW_ADJUST); bytes from the device wait in
 * an inbox, and their window goes back to the device only when the reader took them, so a slow reader
 * holds at most one window of data. {@link #send}, {@link #receive} and {@link #close} are called from the
 * worker thread; the other methods run on the connection's event loop.
 */
final class ApfChannelStream implements Transport.Connection {

    private static final byte[] EOF = new byte[0];
    private final long id;
    private final CiraConnection owner;
    private final LinkedBlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
    private final ArrayDeque<byte[]> outbox = new ArrayDeque<>();
    private volatile boolean ended;

    ApfChannelStream(long id, CiraConnection owner) {
        this.id = id;
        this.owner = owner;
    }

    long id() {
        return id;
    }

    @Override
    public void send(byte[] data) throws IOException {
        if (ended) {
            throw new IOException("the APF channel is closed");
        }
        byte[] copy = data.clone();
        owner.onEventLoop(() -> {
            outbox.add(copy);
            owner.flush(this);
        });
    }

    @Override
    public byte[] receive(Duration timeout) throws TimeoutException, InterruptedException {
        byte[] next = inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (next == null) {
            throw new TimeoutException("nothing from the device within " + timeout);
        }
        if (next == EOF) {
            inbox.add(EOF);
            return null;
        }
        owner.onEventLoop(() -> owner.consumed(this, next.length));
        return next;
    }

    @Override
    public void close() {
        ended = true;
        owner.onEventLoop(() -> owner.closeChannel(this));
    }

    /** Event loop: the device's bytes. */
    void deliver(byte[] data) {
        inbox.add(data);
    }

    /** Event loop: the channel or the connection is gone. */
    void end() {
        ended = true;
        outbox.clear();
        inbox.add(EOF);
    }

    /** Event loop: the queue of bytes still to send. */
    ArrayDeque<byte[]> outbox() {
        return outbox;
    }
}
