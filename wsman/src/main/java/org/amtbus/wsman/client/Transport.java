package org.amtbus.wsman.client;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A byte stream to a device's web service (port 16992). The APF channel implements it in the gateway; tests
 * use an in-memory pipe. {@link #open()} gives a fresh connection, as a new APF channel would be.
 */
public interface Transport {

    Connection open() throws IOException;

    /** One connection; used by one thread at a time. */
    interface Connection extends AutoCloseable {
        void send(byte[] data) throws IOException;

        /**
         * Blocks until bytes arrive and returns them (never empty), or returns null at end of stream.
         *
         * @throws TimeoutException when nothing arrived within {@code timeout}
         */
        byte[] receive(Duration timeout) throws IOException, TimeoutException, InterruptedException;

        @Override
        void close();
    }
}
