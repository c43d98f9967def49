package org.amtbus.bench.e2e;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolNegotiator;
import io.netty.handler.ssl.SslContext;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSessionContext;

/**
 * A client context whose engines never name the peer, so the JDK client never offers a cached session: a whole
 * simulated fleet shares one context, and without this every machine after the first would resume the session of
 * another one (the JDK server accepts that), which no real fleet does. Each login is a full handshake.
 */
final class FullHandshakeContext extends SslContext {

    private final SslContext delegate;

    FullHandshakeContext(SslContext delegate) {
        this.delegate = delegate;
    }

    @Override
    public boolean isClient() {
        return delegate.isClient();
    }

    @Override
    public List<String> cipherSuites() {
        return delegate.cipherSuites();
    }

    @Override
    @SuppressWarnings("deprecation")
    public ApplicationProtocolNegotiator applicationProtocolNegotiator() {
        return delegate.applicationProtocolNegotiator();
    }

    @Override
    public SSLEngine newEngine(ByteBufAllocator alloc) {
        return delegate.newEngine(alloc);
    }

    @Override
    public SSLEngine newEngine(ByteBufAllocator alloc, String peerHost, int peerPort) {
        return delegate.newEngine(alloc);
    }

    @Override
    public SSLSessionContext sessionContext() {
        return delegate.sessionContext();
    }
}
