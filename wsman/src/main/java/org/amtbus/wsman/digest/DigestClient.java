package org.amtbus.wsman.digest;

import java.util.HexFormat;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.amtbus.wsman.http.HttpProtocolException;

/**
 * The client half of HTTP Digest for one device. It remembers the last challenge and reuses its nonce for
 * every later request, counting nc up from 1 (8 hex digits) and drawing a fresh random cnonce each time.
 * {@link #onUnauthorized} decides whether a 401 deserves one more try: a first challenge or a
 * {@code stale=true} one does, a plain 401 answering credentials does not (the password is wrong), so
 * there is no retry loop. Thread-safe (synchronized): one instance per device may be shared by channels.
 */
public final class DigestClient {
    private final String username;
    private final Password password;
    private final RandomGenerator random;
    private DigestChallenge challenge;
    private long nc;
    private boolean sentCredentials;

    /** @param random cnonce source; pass a {@link java.security.SecureRandom} in production */
    public DigestClient(String username, Password password, RandomGenerator random) {
        if (username == null || username.isEmpty() || username.indexOf('"') >= 0 || username.indexOf(':') >= 0) {
            throw new IllegalArgumentException("username must be non-empty without quotes or colons");
        }
        this.username = username;
        this.password = Objects.requireNonNull(password, "password");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The Authorization header value for the next request, or null before any challenge was seen. */
    public synchronized String authorization(String method, String uri) {
        if (challenge == null) {
            return null;
        }
        nc++;
        String ncHex = HexFormat.of().toHexDigits((int) nc);
        byte[] c = new byte[16];
        random.nextBytes(c);
        String cnonce = HexFormat.of().formatHex(c);
        String response = DigestMath.response(username, challenge.realm(), password, method, uri,
                challenge.nonce(), ncHex, cnonce);
        sentCredentials = true;
        return "Digest username=" + AuthParams.quote(username) + ",realm=" + AuthParams.quote(challenge.realm())
                + ",nonce=" + AuthParams.quote(challenge.nonce()) + ",uri=" + AuthParams.quote(uri)
                + ",qop=\"auth\",response=\"" + response + "\",nc=\"" + ncHex + "\",cnonce=\"" + cnonce + "\""
                + (challenge.opaque() == null ? "" : ",opaque=" + AuthParams.quote(challenge.opaque()));
    }

    /**
     * Records a 401 challenge and says whether to retry once with credentials.
     *
     * @param requestHadCredentials whether the request that drew this 401 carried an Authorization header
     * @return true for a first challenge or a stale nonce; false when credentials were refused
     */
    public synchronized boolean onUnauthorized(String wwwAuthenticate, boolean requestHadCredentials)
            throws HttpProtocolException {
        DigestChallenge next = DigestChallenge.parse(wwwAuthenticate);
        boolean retry = !requestHadCredentials || next.stale();
        challenge = next;
        nc = 0;
        return retry;
    }

    /** Whether any request so far carried credentials. */
    public synchronized boolean hasSentCredentials() {
        return sentCredentials;
    }

    @Override
    public String toString() {
        return "DigestClient[user=" + username + ", password=[hidden]]";
    }
}
