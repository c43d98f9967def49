package org.amtbus.audit.query;

import java.time.Instant;
import java.util.Objects;

/**
 * A checkpoint verification key as an operator exports it, to keep apart from the database and pass
 * back to {@code verify} as the trusted key.
 *
 * @param keyId lowercase hex SHA-256 of the key's X.509 DER encoding
 * @param pem   {@code -----BEGIN PUBLIC KEY-----} block
 */
public record PublicKeyExport(String keyId, String pem, Instant createdAt) {

    public PublicKeyExport {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(pem, "pem");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
