package org.amtbus.platform.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finds a free TCP port on the loopback interface. Stateless; any thread. */
final class LoopbackPorts {

    private LoopbackPorts() {
    }

    /**
     * A port that was free a moment ago. Another process may take it before we bind; callers that
     * asked for a random port retry their start once on a bind failure.
     */
    static int free() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
