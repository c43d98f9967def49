package org.amtbus.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Checks at start that a configured port can be bound, so a clash is one line and nothing half-started. */
final class Ports {

    private Ports() {
    }

    /** Port 0 (a random port) always passes. */
    static void requireFree(InetAddress host, int port, String setting) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new StartupException(StartupException.ENVIRONMENT, setting + ": " + host.getHostAddress() + ":" + port
                    + " is already in use (or not bindable: " + e.getMessage() + ")");
        }
    }
}
