package org.amtbus.wsman.digest;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.amtbus.wsman.http.HttpProtocolException;

/**
 * A {@code WWW-Authenticate: Digest} challenge as AMT sends it: MD5 (stated or implied), qop {@code auth}.
 * Invariant: realm and nonce are non-empty and printable.
 */
public record DigestChallenge(String realm, String nonce, boolean stale, String opaque) {
    private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7E]{1,256}");

    public DigestChallenge {
        if (realm == null || !PRINTABLE.matcher(realm).matches() || nonce == null || !PRINTABLE.matcher(nonce).matches()) {
            throw new IllegalArgumentException("realm and nonce must be 1..256 printable characters");
        }
        if (opaque != null && !PRINTABLE.matcher(opaque).matches()) {
            throw new IllegalArgumentException("opaque must be printable");
        }
    }

    /** Parses a challenge; refuses algorithms other than MD5 and challenges not offering qop {@code auth}. */
    public static DigestChallenge parse(String header) throws HttpProtocolException {
        Map<String, String> p = AuthParams.parseDigest(header);
        String algorithm = p.getOrDefault("algorithm", "MD5");
        if (!algorithm.equalsIgnoreCase("MD5")) {
            throw new HttpProtocolException("unsupported Digest algorithm");
        }
        String qop = p.get("qop");
        boolean auth = qop != null && java.util.Arrays.stream(qop.split(","))
                .anyMatch(q -> q.trim().toLowerCase(Locale.ROOT).equals("auth"));
        if (!auth) {
            throw new HttpProtocolException("challenge does not offer qop=auth");
        }
        try {
            return new DigestChallenge(p.get("realm"), p.get("nonce"),
                    "true".equalsIgnoreCase(p.getOrDefault("stale", "false")), p.get("opaque"));
        } catch (IllegalArgumentException e) {
            throw new HttpProtocolException("challenge without a valid realm or nonce");
        }
    }

    /** AMT's own layout, including its irregular comma spacing. */
    public String toHeaderValue() {
        return "Digest realm=" + AuthParams.quote(realm) + ", nonce=" + AuthParams.quote(nonce)
                + ",stale=\"" + stale + "\",qop=\"auth\"" + (opaque == null ? "" : ",opaque=" + AuthParams.quote(opaque));
    }
}
