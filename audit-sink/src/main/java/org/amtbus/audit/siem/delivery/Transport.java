package org.amtbus.audit.siem.delivery;

import java.io.IOException;
import java.util.List;

/**
 * Where an output's encoded records go. {@link #send} returns only when the batch counts as delivered
 * for this transport (written and forced for a file, 2xx for HTTPS, written with the connection seen
 * alive afterwards for syslog over TLS); it throws when it cannot say so, and the output sends the same
 * batch again later. Implementations are used by one thread at a time.
 */
public interface Transport extends AutoCloseable {

    void send(List<byte[]> records) throws IOException;

    /** Where it sends, for logs (never a credential). */
    String describe();

    /** Drops any connection, so the next send starts afresh. */
    @Override
    void close();
}
