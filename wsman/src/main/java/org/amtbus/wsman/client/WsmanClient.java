package org.amtbus.wsman.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.amtbus.wsman.digest.DigestClient;
import org.amtbus.wsman.http.HttpHeaders;
import org.amtbus.wsman.http.HttpProtocolException;
import org.amtbus.wsman.http.HttpRequest;
import org.amtbus.wsman.http.HttpRequestEncoder;
import org.amtbus.wsman.http.HttpResponse;
import org.amtbus.wsman.http.HttpResponseParser;
import org.amtbus.wsman.message.WsmanEnvelope;
import org.amtbus.wsman.message.WsmanParseException;
import org.amtbus.wsman.message.WsmanRequest;

/**
 * Runs WS-Man exchanges with one device over a {@link Transport}: {@code POST /wsman} with Content-Length,
 * HTTP Digest (the first request draws a 401, the retry carries credentials, later requests reuse the
 * nonce), a fresh connection after any {@code Connection: close} or error, and at most
 * {@link #MAX_ATTEMPTS} requests per exchange, so a wrong password ends in {@link FailureKind#AUTH_FAILED}
 * and never in a loop. Each exchange has {@link #timeout()} in total. A response must relate to the request's
 * MessageID. Blocking: call from a virtual thread or a worker, never an event loop; one exchange at a time
 * (synchronized).
 */
public final class WsmanClient implements AutoCloseable {
    /** First try, the retry after the challenge, and one more after a stale nonce. */
    public static final int MAX_ATTEMPTS = 3;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final int AMT_HTTP_PORT = 16992;
    private static final String URI = "/wsman";

    private final Transport transport;
    private final DigestClient digest;
    private final String host;
    private final Duration timeout;
    private final InstantSource time;
    private final HttpRequestEncoder encoder = new HttpRequestEncoder();
    private Transport.Connection connection;
    private HttpResponseParser parser;

    /** @param hostName the Host header's name part; AMT clients send the device GUID */
    public WsmanClient(Transport transport, DigestClient digest, String hostName, Duration timeout, InstantSource time) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.digest = Objects.requireNonNull(digest, "digest");
        this.host = Objects.requireNonNull(hostName, "hostName") + ":" + AMT_HTTP_PORT;
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        this.timeout = timeout;
        this.time = Objects.requireNonNull(time, "time");
    }

    public Duration timeout() {
        return timeout;
    }

    /** Sends {@code request} and returns the response envelope, or a typed failure. */
    public synchronized WsmanResult<WsmanEnvelope> send(WsmanRequest request) {
        long deadline = time.millis() + timeout.toMillis();
        byte[] xml = request.toBytes();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            String authorization = digest.authorization("POST", URI);
            HttpHeaders headers = HttpHeaders.of("Host", host, "Content-Type", "application/soap+xml; charset=utf-8");
            if (authorization != null) {
                headers = headers.with("Authorization", authorization);
            }
            HttpResponse response;
            try {
                response = exchange(encoder.encode(new HttpRequest("POST", URI, headers, xml)), deadline);
            } catch (TimeoutException e) {
                drop();
                return failure(FailureKind.TIMEOUT, "no complete response within " + timeout);
            } catch (HttpProtocolException e) {
                drop();
                return failure(FailureKind.PROTOCOL, "bad HTTP response: " + e.getMessage());
            } catch (IOException e) {
                drop();
                return failure(FailureKind.TRANSPORT, e.getMessage() == null ? "connection failed" : e.getMessage());
            } catch (InterruptedException e) {
                drop();
                Thread.currentThread().interrupt();
                return failure(FailureKind.TIMEOUT, "interrupted while waiting for the device");
            }
            if (response.headers().connectionClose()) {
                drop();
            }
            if (response.status() == 401) {
                Optional<String> challenge = response.headers().first("WWW-Authenticate");
                if (challenge.isEmpty()) {
                    return failure(FailureKind.PROTOCOL, "401 without a WWW-Authenticate challenge");
                }
                try {
                    if (!digest.onUnauthorized(challenge.get(), authorization != null)) {
                        return failure(FailureKind.AUTH_FAILED, "device refused the credentials (HTTP 401)");
                    }
                } catch (HttpProtocolException e) {
                    return failure(FailureKind.PROTOCOL, "bad Digest challenge: " + e.getMessage());
                }
                continue;
            }
            return interpret(request, response);
        }
        return failure(FailureKind.AUTH_FAILED, "still unauthorized after " + MAX_ATTEMPTS + " attempts");
    }

    private WsmanResult<WsmanEnvelope> interpret(WsmanRequest request, HttpResponse response) {
        boolean mayCarryEnvelope = response.status() == 200 || response.status() == 400 || response.status() == 500;
        if (!mayCarryEnvelope) {
            return failure(FailureKind.PROTOCOL, "unexpected HTTP status " + response.status());
        }
        WsmanEnvelope envelope;
        try {
            envelope = WsmanEnvelope.parse(response.body());
        } catch (WsmanParseException e) {
            return failure(FailureKind.PROTOCOL, "HTTP " + response.status() + " with unusable body: " + e.getMessage());
        }
        if (envelope.fault().isPresent()) {
            return new WsmanResult.Failure<>(FailureKind.FAULT, "SOAP fault " + envelope.fault().get().summary(),
                    envelope.fault().get());
        }
        if (response.status() != 200) {
            return failure(FailureKind.PROTOCOL, "HTTP " + response.status() + " without a SOAP fault");
        }
        if (!request.messageId().equals(envelope.relatesTo())) {
            return failure(FailureKind.PROTOCOL, "response does not relate to the request's MessageID");
        }
        return new WsmanResult.Success<>(envelope);
    }

    private HttpResponse exchange(byte[] requestBytes, long deadline)
            throws IOException, TimeoutException, InterruptedException, HttpProtocolException {
        if (connection == null) {
            connection = transport.open();
            parser = new HttpResponseParser();
        }
        connection.send(requestBytes);
        while (true) {
            long left = deadline - time.millis();
            if (left <= 0) {
                throw new TimeoutException();
            }
            byte[] bytes = connection.receive(Duration.ofMillis(left));
            if (bytes == null) {
                throw new IOException(parser.idle() ? "connection closed before a response"
                        : "connection closed in the middle of a response");
            }
            Optional<HttpResponse> response = parser.feed(bytes);
            if (response.isPresent()) {
                return response.get();
            }
        }
    }

    private void drop() {
        if (connection != null) {
            connection.close();
        }
        connection = null;
        parser = null;
    }

    private static <T> WsmanResult<T> failure(FailureKind kind, String reason) {
        return new WsmanResult.Failure<>(kind, reason, null);
    }

    @Override
    public synchronized void close() {
        drop();
    }

    @Override
    public String toString() {
        return "WsmanClient[host=" + host + "]";
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
