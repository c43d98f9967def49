package org.amtbus.bench.e2e;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.amtbus.platform.tls.TlsContexts;

/**
 * One MQTT listener under test: which broker, TLS or plain, and the account the load logs in with. Every client of
 * a run is the same HiveMQ MQTT 5 client, whichever broker it talks to.
 */
record MqttEndpoint(String broker, boolean tls, int port, Path caFile, String user, char[] password) {

    String label() {
        return broker + (tls ? " TLS" : " plain");
    }

    Mqtt5AsyncClient connect(String clientId) {
        Mqtt5ClientBuilder builder = MqttClient.builder().useMqttVersion5()
                .identifier(clientId)
                .serverHost("127.0.0.1")
                .serverPort(port);
        if (tls) {
            builder = builder.sslConfig()
                    .trustManagerFactory(TlsContexts.trustManagerFactory(ca()))
                    .protocols(List.of("TLSv1.3"))
                    .applySslConfig();
        }
        Mqtt5AsyncClient client = builder.simpleAuth().username(user)
                .password(new String(password).getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .buildAsync();
        try {
            client.connectWith().cleanStart(true).send().get(15, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(label() + ": cannot connect " + clientId + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return client;
    }

    private X509Certificate ca() {
        try (InputStream in = Files.newInputStream(caFile)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("bad CA certificate " + caFile, e);
        }
    }
}
