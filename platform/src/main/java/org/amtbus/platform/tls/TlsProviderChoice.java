package org.amtbus.platform.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import java.util.Locale;

/**
 * Which TLS implementation a Netty listener uses: BoringSSL ({@code netty-tcnative-boringssl-static}) when it
 * loads, else the JDK's ({@link #AUTO}); or one of them forced. The TLS policy (versions, suites, certificates,
 * client authentication) is the same under both; only the speed differs (docs/benchmarks.md, CIRA scale).
 */
public enum TlsProviderChoice {
    AUTO, OPENSSL, JDK;

    /** {@code auto}, {@code openssl} or {@code jdk}, any case; anything else is refused with the accepted values. */
    public static TlsProviderChoice parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            String shown = value.length() > 20 ? value.substring(0, 20) + "..." : value;
            throw new IllegalArgumentException("'" + shown.replaceAll("\\p{Cntrl}", "?")
                    + "' is not a TLS provider: use auto, openssl or jdk");
        }
    }

    /**
     * The provider to build contexts with. {@link #OPENSSL} fails when BoringSSL cannot be loaded on this machine
     * (with the reason), so a forced choice never silently becomes the JDK's.
     */
    public SslProvider resolve() {
        return switch (this) {
            case JDK -> SslProvider.JDK;
            case AUTO -> OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
            case OPENSSL -> {
                if (!OpenSsl.isAvailable()) {
                    Throwable cause = OpenSsl.unavailabilityCause();
                    throw new IllegalStateException("the OpenSSL TLS provider was asked for but cannot be loaded here: "
                            + (cause == null ? "unknown reason" : cause.getMessage()));
                }
                yield SslProvider.OPENSSL;
            }
        };
    }

    /** The provider {@code context} was built with. */
    public static SslProvider providerOf(SslContext context) {
        return context instanceof ReferenceCountedOpenSslContext ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /** A short name for logs: {@code openssl (BoringSSL)} or {@code jdk}. */
    public static String describe(SslProvider provider) {
        return provider == SslProvider.JDK ? "jdk" : "openssl (" + OpenSsl.versionString() + ")";
    }
}
