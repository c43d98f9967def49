package org.amtbus.provisioning;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends one relay frame (agent or CIRA path) to Kafka and waits until Kafka has taken it, so that a
 * WS-Man exchange fails at once, with a reason, when the bus does not take its request.
 */
public final class RelaySend {

    /** How long Kafka may take to acknowledge one frame. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private RelaySend() {
    }

    /**
     * @param towards who the frame is for, as the failure's message names it ("the agent", "gateway X")
     * @throws IOException when Kafka does not take the frame within {@link #TIMEOUT} or the wait is interrupted
     */
    public static void acknowledged(Producer<String, byte[]> producer, ProducerRecord<String, byte[]> frame,
                                    String towards) throws IOException {
        try {
            producer.send(frame).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while relaying to " + towards);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException("could not relay to " + towards + ": Kafka did not take the request ("
                    + cause.getClass().getSimpleName() + ")");
        }
    }
}
