package org.amtbus.audit.siem.delivery;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syslog over TLS (RFC 5425): records are complete octet-counted frames, written over one long-lived
 * TLS 1.3 connection (client certificate optional), the receiver's name checked against its certificate.
 *
 * <p>Syslog has no acknowledgement: a successful write only reaches the kernel's send buffer. So a batch
 * counts as sent only when, after writing it, the connection is still alive a moment later: the sender
 * reads for {@code confirmWait} and expects nothing (a timeout). A receiver that has gone away shows as
 * end-of-stream or a reset there, and the batch is sent again on a new connection. What this cannot
 * see: a receiver that accepted the bytes and then lost them from its own memory (run rsyslog with a
 * disk-assisted queue). Duplicates after a retry are expected; every message carries the event id.
 * The connection is closed with TLS close_notify.
 */
public final class SyslogTlsTransport implements Transport {

    public static final int DEFAULT_PORT = 6514;
    private static final Logger LOG = LoggerFactory.getLogger(SyslogTlsTransport.class);

    private final String host;
    private final int port;
    private final SSLContext context;
    private final Duration connectTimeout;
    private final Duration confirmWait;
    private SSLSocket socket;
    private OutputStream out;
    private InputStream in;

    public SyslogTlsTransport(String host, int port, SiemTls tls, Duration connectTimeout, Duration confirmWait) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.context = tls.context();
        this.connectTimeout = connectTimeout;
        this.confirmWait = confirmWait;
    }

    @Override
    public void send(List<byte[]> records) throws IOException {
        try {
            if (socket == null) {
                connect();
            }
            for (byte[] frame : records) {
                out.write(frame);
            }
            out.flush();
            confirmAlive();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private void connect() throws IOException {
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket();
        try {
            s.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            SSLParameters parameters = SiemTls.parameters();
            if (!Character.isDigit(host.charAt(0)) && !host.contains(":")) {
                parameters.setServerNames(List.of(new SNIHostName(host)));
            }
            s.setSSLParameters(parameters);
            s.setSoTimeout((int) connectTimeout.toMillis());
            s.startHandshake();
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
        in = s.getInputStream();
        LOG.info("event=siem.connected to={}:{} protocol={} suite={}", host, port, s.getSession().getProtocol(),
                s.getSession().getCipherSuite());
    }

    /** The receiver never sends application data: a timeout means alive, anything else means gone. */
    private void confirmAlive() throws IOException {
        socket.setSoTimeout((int) Math.max(1, confirmWait.toMillis()));
        try {
            int read = in.read();
            throw new IOException(read < 0 ? "the receiver closed the connection" : "the receiver sent data, unexpected for syslog");
        } catch (SocketTimeoutException alive) {
            // nothing to read and no close: the connection stands
        }
    }

    @Override
    public String describe() {
        return "syslog+tls://" + host + ":" + port;
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.shutdownOutput(); // TLS close_notify
            } catch (IOException | UnsupportedOperationException ignored) {
                // the connection is already gone
            }
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing more to do
            }
            socket = null;
            out = null;
            in = null;
        }
    }
}
