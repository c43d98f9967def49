package org.amtbus.wsman.digest;

/** What {@link DigestVerifier} decided about one request. Reasons never contain credentials. */
public sealed interface DigestVerdict {

    /** Credentials are valid; serve the request. */
    record Accepted() implements DigestVerdict {
    }

    /** Answer 401 with a fresh challenge; {@code stale} when only the nonce had expired. */
    record Challenge(boolean stale, String reason) implements DigestVerdict {
    }
}
