package org.amtbus.audit.checkpoint;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.amtbus.audit.chain.Hex;
import org.amtbus.platform.secret.Secret;
import org.amtbus.platform.secret.SecretName;
import org.amtbus.platform.secret.SecretStore;
import org.amtbus.platform.tls.CertificateAuthority;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ECDSA P-384 key that signs audit checkpoints ({@value #ALGORITHM}). The private half exists
 * only in the secret store (PKCS#8 DER under {@link #DEFAULT_NAME}) and in this object; the public
 * half is derived from it, so a verifier needs no secret. Invariants: the key is on P-384;
 * {@link #toString()} never shows the private key; the key id is the lowercase hex SHA-256 of the
 * public key's X.509 DER. Thread-safe (a new {@link Signature} per call).
 */
public final class CheckpointKey {

    public static final String ALGORITHM = "SHA384withECDSA";
    /** Where the signing key lives in the secret store. */
    public static final SecretName DEFAULT_NAME = new SecretName("audit/checkpoint-key");
    private static final int P384_FIELD_BITS = 384;
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointKey.class);

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String keyId;

    private CheckpointKey(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.keyId = keyId(publicKey);
    }

    /** Loads the key named {@code name}, creating and storing a new random one on first use. */
    public static CheckpointKey loadOrCreate(SecretStore secrets, SecretName name) {
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(name, "name");
        Optional<Secret> stored = secrets.get(name);
        if (stored.isPresent()) {
            byte[] pkcs8 = stored.get().revealBytes();
            try {
                CheckpointKey key = fromPkcs8(pkcs8);
                LOG.info("event=audit.checkpoint-key-loaded secret={} keyId={}", name, key.keyId);
                return key;
            } finally {
                Arrays.fill(pkcs8, (byte) 0);
            }
        }
        KeyPair pair = CertificateAuthority.Keys.generateP384();
        byte[] pkcs8 = pair.getPrivate().getEncoded();
        try {
            secrets.put(name, Secret.ofBytes(pkcs8));
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
        CheckpointKey key = new CheckpointKey(pair.getPrivate(), pair.getPublic());
        LOG.info("event=audit.checkpoint-key-created secret={} keyId={}", name, key.keyId);
        return key;
    }

    /** A key from PKCS#8 DER bytes (the caller clears them). */
    static CheckpointKey fromPkcs8(byte[] pkcs8) {
        try {
            KeyFactory factory = KeyFactory.getInstance("EC");
            PrivateKey key = factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            if (!(key instanceof ECPrivateKey ec) || ec.getParams().getCurve().getField().getFieldSize() != P384_FIELD_BITS) {
                throw new IllegalStateException("the audit checkpoint key in the secret store is not an ECDSA P-384 key");
            }
            return new CheckpointKey(key, publicKeyOf(ec, factory));
        } catch (GeneralSecurityException e) {
            // no cause: the provider's message could describe the key material
            throw new IllegalStateException("the audit checkpoint key in the secret store is not a PKCS#8 EC key");
        }
    }

    private static PublicKey publicKeyOf(ECPrivateKey key, KeyFactory factory) throws GeneralSecurityException {
        X9ECParameters curve = ECNamedCurveTable.getByName("secp384r1");
        BigInteger d = key.getS();
        org.bouncycastle.math.ec.ECPoint q = curve.getG().multiply(d).normalize();
        ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        return factory.generatePublic(new ECPublicKeySpec(w, key.getParams()));
    }

    /** Signs {@code message} with SHA384withECDSA (DER-encoded signature). */
    public byte[] sign(byte[] message) {
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(privateKey);
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign an audit checkpoint: " + e.getClass().getSimpleName());
        }
    }

    /** Whether {@code signature} is a valid {@value #ALGORITHM} signature of {@code message} by {@code key}. */
    public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // a malformed signature is a bad signature
        }
    }

    /** An X.509 SubjectPublicKeyInfo DER key (as stored in {@code audit_keys}); P-384 only. */
    public static PublicKey publicKey(byte[] x509) {
        try {
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(x509));
            if (!(key instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != P384_FIELD_BITS) {
                throw new IllegalArgumentException("not an ECDSA P-384 public key");
            }
            return key;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an X.509 EC public key", e);
        }
    }

    /** Lowercase hex SHA-256 of the key's X.509 DER encoding. */
    public static String keyId(PublicKey key) {
        try {
            return Hex.of(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public String keyId() {
        return keyId;
    }

    @Override
    public String toString() {
        return "CheckpointKey[keyId=" + keyId + ", private key hidden]";
    }
}
