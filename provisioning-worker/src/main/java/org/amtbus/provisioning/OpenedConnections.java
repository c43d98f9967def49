package org.amtbus.provisioning;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.amtbus.wsman.client.Transport;

/**
 * A {@link Transport} that remembers the connections it opened and closes them all at {@link #close()}: the end
 * of one run, so a relayed channel (over CIRA, a gateway's APF channel) is not left open until it idles out.
 */
final class OpenedConnections implements Transport, AutoCloseable {

    private final Transport inner;
    private final List<Connection> opened = new CopyOnWriteArrayList<>();

    OpenedConnections(Transport inner) {
        this.inner = Objects.requireNonNull(inner);
    }

    @Override
    public Connection open() throws IOException {
        Connection c = inner.open();
        opened.add(c);
        return c;
    }

    @Override
    public void close() {
        opened.forEach(Connection::close);
        opened.clear();
    }

    @Override
    public String toString() {
        return inner.toString();
    }
}
