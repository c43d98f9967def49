package org.amtbus.audit.siem.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.amtbus.platform.secret.Secret;
import org.amtbus.platform.secret.SecretName;
import org.amtbus.platform.secret.SecretStore;

/**
 * POSTs a batch of JSON records as one body over HTTPS (TLS 1.3): concatenated objects for Splunk HEC
 * ({@code Authorization: Splunk <token>}), newline-delimited JSON otherwise ({@code Bearer <token>} when
 * a token is configured). The token is read from the secret store for every request (so a rotation takes
 * effect at once) and never appears in a log line or exception: failures name the status only.
 * A 2xx answer counts as delivered (HEC indexer acknowledgement is not used yet); anything else is
 * retried by the output, 4xx included (it logs them as a configuration problem).
 */
public final class HttpsTransport implements Transport {

    /** How the token is presented. */
    public enum Scheme {
        SPLUNK("Splunk "), BEARER("Bearer ");

        private final String prefix;

        Scheme(String prefix) {
            this.prefix = prefix;
        }
    }

    private final URI uri;
    private final HttpClient client;
    private final Scheme scheme;
    private final Optional<SecretName> token;
    private final SecretStore secrets;
    private final Duration timeout;

    public HttpsTransport(URI uri, SiemTls tls, Scheme scheme, Optional<SecretName> token, SecretStore secrets,
                          Duration timeout) {
        this.uri = Objects.requireNonNull(uri, "uri");
        if (!"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("a SIEM HTTP output must use https, was " + uri.getScheme());
        }
        this.scheme = Objects.requireNonNull(scheme, "scheme");
        this.token = Objects.requireNonNull(token, "token");
        this.secrets = secrets;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().sslContext(tls.context()).sslParameters(SiemTls.parameters())
                .connectTimeout(timeout).build();
    }

    @Override
    public void send(List<byte[]> records) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] record : records) {
            body.write(record);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", scheme == Scheme.SPLUNK ? "application/json" : "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (token.isPresent()) {
            Secret secret = secrets.get(token.get()).orElseThrow(() ->
                    new IOException("the SIEM token " + token.get() + " is not in the secret store"));
            char[] chars = secret.revealChars();
            try {
                request.header("Authorization", scheme.prefix + new String(chars));
            } finally {
                java.util.Arrays.fill(chars, '\0');
            }
        }
        HttpResponse<Void> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while posting to " + describe());
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            throw new IOException("HTTP " + status + " from " + describe()
                    + (status == 401 || status == 403 ? " (check the token in the secret store)" : ""));
        }
    }

    @Override
    public String describe() {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + uri.getPath();
    }

    @Override
    public void close() {
        // HttpClient pools its connections; nothing to drop between batches
    }

}
