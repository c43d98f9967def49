package org.amtbus.schemas.agent;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * End-to-end encryption of the WS-Man bytes relayed between a provisioning worker and an agent. The relayed
 * requests carry what AMT must receive in clear inside TLS-less LME traffic (the MPS password in
 * {@code AddMpServer}, the MEBx password, the admin password's Digest hash); the frames cross the broker and
 * Kafka, where an operator with a wide grant or anyone reading {@code amtbus.agent.*} could otherwise see them.
 *
 * <p>Scheme: the agent makes an X25519 key pair per session and publishes the public key in its
 * {@link AgentReport}; the worker makes one per connection and sends its public key in the connection's first
 * frame. Both derive {@code SHA-256("amtbus-agent-relay/v1" || X25519 secret || connection id)} as an AES-256-GCM
 * key; the 96-bit nonce is the direction and the frame's {@code seq} (never reused under one key), and the
 * connection id is the associated data. Invariant: a frame altered, replayed into another connection or
 * direction, or reordered does not open. Thread-safe (no state beyond the key).
 */
public final class FrameCipher {

    /** Bytes GCM adds to each frame. */
    public static final int TAG_BYTES = 16;
    /** Plain bytes per frame, so a sealed frame fits {@link AgentFrame#MAX_DATA}. */
    public static final int MAX_PLAIN = AgentFrame.MAX_DATA - TAG_BYTES;
    private static final byte[] CONTEXT = "amtbus-agent-relay/v1".getBytes(StandardCharsets.US_ASCII);
    private static final String CURVE = "X25519";

    /** Who sends: the worker (requests) or the agent (responses). */
    public enum Direction {
        DOWN(0), UP(1);

        private final int code;

        Direction(int code) {
            this.code = code;
        }
    }

    private final SecretKeySpec key;
    private final byte[] associated;

    private FrameCipher(byte[] key, UUID connection) {
        this.key = new SecretKeySpec(key, "AES");
        this.associated = ByteBuffer.allocate(16).putLong(connection.getMostSignificantBits())
                .putLong(connection.getLeastSignificantBits()).array();
    }

    /** A fresh X25519 key pair (per agent session, or per worker connection). */
    public static KeyPair newKeyPair() {
        try {
            return KeyPairGenerator.getInstance(CURVE).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is missing from the JDK", e);
        }
    }

    /** A public key as it travels (base64 of its X.509 encoding). */
    public static String encode(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /**
     * @throws IllegalArgumentException when {@code text} is not an X25519 public key
     */
    public static PublicKey decode(String text) {
        try {
            return KeyFactory.getInstance(CURVE).generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(text)));
        } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("not an X25519 public key");
        }
    }

    /** The cipher of one connection, from this side's private key and the peer's public key. */
    public static FrameCipher derive(PrivateKey own, PublicKey peer, UUID connection) {
        Objects.requireNonNull(connection, "connection");
        try {
            KeyAgreement agreement = KeyAgreement.getInstance(CURVE);
            agreement.init(own);
            agreement.doPhase(peer, true);
            byte[] shared = agreement.generateSecret();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(CONTEXT);
            sha.update(shared);
            sha.update(ByteBuffer.allocate(16).putLong(connection.getMostSignificantBits())
                    .putLong(connection.getLeastSignificantBits()).array());
            byte[] key = sha.digest();
            Arrays.fill(shared, (byte) 0);
            FrameCipher cipher = new FrameCipher(key, connection);
            Arrays.fill(key, (byte) 0);
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot agree on a key with that public key", e);
        }
    }

    public byte[] seal(Direction direction, long seq, byte[] plain) {
        try {
            Cipher gcm = cipher(Cipher.ENCRYPT_MODE, direction, seq);
            return gcm.doFinal(plain);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    /** @throws GeneralSecurityException when the frame was altered, or is not this direction's {@code seq} */
    public byte[] open(Direction direction, long seq, byte[] sealed) throws GeneralSecurityException {
        return cipher(Cipher.DECRYPT_MODE, direction, seq).doFinal(sealed);
    }

    private Cipher cipher(int mode, Direction direction, long seq) throws GeneralSecurityException {
        byte[] nonce = ByteBuffer.allocate(12).putInt(direction.code).putLong(seq).array();
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(mode, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
        gcm.updateAAD(associated);
        return gcm;
    }
}
