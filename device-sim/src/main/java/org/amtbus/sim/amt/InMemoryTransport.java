package org.amtbus.sim.amt;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.amtbus.wsman.client.Transport;

/**
 * A {@link Transport} straight into an {@link AmtWebService}: requests are handed to a fresh session per
 * connection on the sender's thread, responses queue up for {@link Connection#receive}. Responses can be
 * cut into pieces of {@code pieceBytes} to exercise partial reads. For tests and demos.
 */
public final class InMemoryTransport implements Transport {
    private static final byte[] EOF = new byte[0];
    private final AmtWebService service;
    private final int pieceBytes;
    private final boolean local;
    private final AtomicInteger opened = new AtomicInteger();

    public InMemoryTransport(AmtWebService service, int pieceBytes) {
        this(service, pieceBytes, false);
    }

    private InMemoryTransport(AmtWebService service, int pieceBytes, boolean local) {
        this.local = local;
        this.service = service;
        if (pieceBytes < 1) {
            throw new IllegalArgumentException("pieceBytes must be positive");
        }
        this.pieceBytes = pieceBytes;
    }

    public InMemoryTransport(AmtWebService service) {
        this(service, Integer.MAX_VALUE);
    }

    /**
     * A transport whose connections are host-side sessions ({@link AmtWebService#openLocal}), as the agent on
     * the machine relays WS-Man to AMT.
     */
    public static InMemoryTransport local(AmtWebService service) {
        return new InMemoryTransport(service, Integer.MAX_VALUE, true);
    }

    /** Connections opened so far (a 401 with Connection: close forces a new one). */
    public int connectionsOpened() {
        return opened.get();
    }

    @Override
    public Connection open() {
        opened.incrementAndGet();
        LinkedBlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
        ByteSink sink = new ByteSink() {
            @Override
            public void write(byte[] data) {
                for (int off = 0; off < data.length; off += pieceBytes) {
                    inbox.add(Arrays.copyOfRange(data, off, (int) Math.min(data.length, (long) off + pieceBytes)));
                }
            }

            @Override
            public void close() {
                inbox.add(EOF);
            }
        };
        AmtWebService.Session session = local ? service.openLocal(sink) : service.open(sink);
        return new Connection() {
            private volatile boolean closed;

            @Override
            public void send(byte[] data) throws IOException {
                if (closed) {
                    throw new IOException("connection is closed");
                }
                session.receive(data.clone());
            }

            @Override
            public byte[] receive(Duration timeout) throws TimeoutException, InterruptedException {
                byte[] next = inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
                if (next == null) {
                    throw new TimeoutException("nothing received within " + timeout);
                }
                if (next == EOF) {
                    inbox.add(EOF);
                    return null;
                }
                return next;
            }

            @Override
            public void close() {
                closed = true;
                session.closed();
            }
        };
    }
}
