package org.amtbus.audit.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.amtbus.audit.siem.delivery.SiemTls;
import org.amtbus.platform.tls.CertificateAuthority;
import org.amtbus.platform.tls.IssuedCertificate;

/**
 * A real rsyslog (Debian {@code rsyslog} + {@code rsyslog-openssl}) as an RFC 5425 receiver for tests:
 * TLS 1.3 on a loopback port with mutual TLS (client certificate CN {@value #CLIENT_NAME} required),
 * {@code mmpstrucdata} parsing STRUCTURED-DATA, and every message written as JSON ({@code %jsonmesg%})
 * to {@code out.json}. Runs as the current (unprivileged) user with its own config, pid file and work
 * directory under {@code dir}. Certificates come from the project's {@link CertificateAuthority}.
 */
public final class Rsyslog implements AutoCloseable {

    public static final Path RSYSLOGD = Path.of("/usr/sbin/rsyslogd");
    public static final Path OSSL_MODULE = Path.of("/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_ossl.so");
    public static final String CLIENT_NAME = "audit-sink.example";

    private final Path dir;
    private final int port;
    private final SiemTls clientTls;
    private Process process;

    private Rsyslog(Path dir, int port, SiemTls clientTls) {
        this.dir = dir;
        this.port = port;
        this.clientTls = clientTls;
    }

    /** Whether rsyslogd and its OpenSSL driver are installed. */
    public static boolean installed() {
        return Files.isExecutable(RSYSLOGD) && Files.exists(OSSL_MODULE);
    }

    /** Prepares PKI and config in {@code dir} for a free loopback port; {@link #start()} runs it. */
    public static Rsyslog prepare(Path dir) {
        try {
            Files.createDirectories(dir.resolve("work"));
            Path pki = Files.createDirectories(dir.resolve("pki"));
            CertificateAuthority ca = CertificateAuthority.loadOrCreate(pki.resolve("ca"), Clock.systemUTC());
            IssuedCertificate server = ca.issueServer("localhost", List.of("localhost"),
                    List.of(InetAddress.getLoopbackAddress()), Duration.ofDays(2));
            IssuedCertificate client = ca.issueClient(CLIENT_NAME, Duration.ofDays(2));
            Files.writeString(pki.resolve("ca.pem"), pem("CERTIFICATE", ca.certificate().getEncoded()));
            Files.writeString(pki.resolve("server.pem"), pem("CERTIFICATE", server.certificate().getEncoded()));
            Files.writeString(pki.resolve("server.key"), pem("PRIVATE KEY", server.privateKey().getEncoded()));
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            Files.writeString(dir.resolve("rsyslog.conf"), """
                    global(workDirectory="%1$s/work" maxMessageSize="64k" parser.escapeControlCharactersOnReceive="off")
                    module(load="imtcp")
                    module(load="mmpstrucdata")
                    input(type="imtcp" address="127.0.0.1" port="%2$d" ruleset="siem"
                          streamDriver.name="ossl" streamDriver.mode="1"
                          streamDriver.authMode="x509/name" permittedPeer=["%3$s"]
                          streamDriver.CAFile="%1$s/pki/ca.pem"
                          streamDriver.certFile="%1$s/pki/server.pem"
                          streamDriver.keyFile="%1$s/pki/server.key")
                    template(name="jsonMesg" type="string" string="%%jsonmesg%%\\n")
                    ruleset(name="siem") {
                      action(type="mmpstrucdata" sd_name.lowercase="off")
                      action(type="omfile" file="%1$s/out.json" template="jsonMesg")
                    }
                    """.formatted(dir.toAbsolutePath(), port, CLIENT_NAME));
            return new Rsyslog(dir, port, new SiemTls(ca.certificate(), Optional.of(client)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts rsyslogd in the foreground and waits until it accepts connections. */
    public Rsyslog start() {
        try {
            Files.deleteIfExists(dir.resolve("rsyslogd.pid"));
            process = new ProcessBuilder(RSYSLOGD.toString(), "-n", "-f", dir.resolve("rsyslog.conf").toString(),
                    "-i", dir.resolve("rsyslogd.pid").toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("rsyslogd.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start rsyslogd", e);
        }
        await("rsyslogd listening on " + port).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("rsyslogd exited: " + log());
                    }
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                        return true;
                    } catch (IOException e) {
                        return false;
                    }
                });
        return this;
    }

    /** Stops rsyslogd (SIGTERM) and waits for it to exit. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public int port() {
        return port;
    }

    /** Trust anchor and the client certificate rsyslog accepts. */
    public SiemTls clientTls() {
        return clientTls;
    }

    /** Every message rsyslog wrote so far, as it parsed it. */
    public List<JsonNode> received() {
        Path out = dir.resolve("out.json");
        List<JsonNode> messages = new ArrayList<>();
        if (!Files.exists(out)) {
            return messages;
        }
        ObjectMapper mapper = new ObjectMapper();
        try {
            for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    messages.add(mapper.readTree(line));
                }
            }
        } catch (IOException e) {
            return messages; // a line being written right now: the caller polls again
        }
        return messages;
    }

    public String log() {
        try {
            Path log = dir.resolve("rsyslogd.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    @Override
    public void close() {
        stop();
    }
}
