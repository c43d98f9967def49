package org.amtbus.acl.enrollment;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.platform.secret.Secret;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;

/**
 * One-time enrollment tokens with which a device's agent logs in to the broker (table
 * {@code agent_enrollment_tokens}). An admin {@linkplain #issue issues} one for a device of a tenant; the broker
 * {@linkplain #redeem redeems} it at the agent's CONNECT.
 *
 * <p>Invariants: a token is 32 random bytes (base64url), shown once to the issuer and stored only as its SHA-256;
 * it is good for one device, until its expiry, and once (the redeeming UPDATE is atomic, so two logins racing with
 * one token cannot both win). Every issue, redemption and refusal is an audit event ({@code agent.token.issued},
 * {@code agent.token.redeemed}, {@code agent.token.refused}); none carries the token or its hash.
 *
 * <p>Blocking (JDBC): call from a virtual thread or a worker. Thread-safe.
 */
public final class EnrollmentTokens {

    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(15);
    /** A token is a credential in transit to a machine: a day is the longest it may wait for its agent. */
    public static final Duration MAX_LIFETIME = Duration.ofHours(24);
    public static final Duration MIN_LIFETIME = Duration.ofMinutes(1);
    private static final int TOKEN_BYTES = 32;
    private static final int TOKEN_CHARS = 43;

    /** A token as issued: the secret (show it once) and when it expires. */
    public record Issued(TenantId tenant, DeviceGuid guid, Secret token, Instant expiresAt) {
        @Override
        public String toString() {
            return "Issued[tenant=" + tenant + ", guid=" + guid + ", expiresAt=" + expiresAt + "]";
        }
    }

    /** Why a token was refused (for the audit trail; the agent learns only "refused"). */
    public enum Refusal { MALFORMED, UNKNOWN, OTHER_DEVICE, ALREADY_USED, EXPIRED, STORE_UNAVAILABLE }

    /** A redemption's outcome: the tenant of the device, or why not. */
    public record Redemption(Optional<TenantId> tenant, Optional<Refusal> refusal) {
        public boolean accepted() {
            return tenant.isPresent();
        }
    }

    private final DataSource dataSource;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public EnrollmentTokens(DataSource dataSource, AuditLog audit, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource);
        this.audit = Objects.requireNonNull(audit);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Creates a token for {@code guid}'s agent in {@code tenant}.
     *
     * @throws IllegalArgumentException when {@code lifetime} is outside 1 minute to 24 hours
     */
    public Issued issue(TenantId tenant, DeviceGuid guid, Duration lifetime, AuditEvent.Actor actor) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(guid, "guid");
        if (lifetime.compareTo(MIN_LIFETIME) < 0 || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("an enrollment token lives 1 minute to 24 hours, not " + lifetime);
        }
        byte[] raw = new byte[TOKEN_BYTES];
        random.nextBytes(raw);
        byte[] token = Base64.getUrlEncoder().withoutPadding().encode(raw);
        java.util.Arrays.fill(raw, (byte) 0);
        Instant now = clock.instant();
        Instant expires = now.plus(lifetime);
        String sql = "INSERT INTO agent_enrollment_tokens (token_sha256, tenant, guid, created_by, created_at, expires_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)";
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, sha256(token));
            st.setString(2, tenant.value());
            st.setString(3, guid.value());
            st.setString(4, actor.kind().name().toLowerCase(java.util.Locale.ROOT) + ":" + actor.name());
            st.setTimestamp(5, Timestamp.from(now));
            st.setTimestamp(6, Timestamp.from(expires));
            st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not store an enrollment token for device " + guid, e);
        }
        audit.event("agent.token.issued").actor(actor).tenant(tenant).target("device:" + guid.value())
                .outcome(AuditEvent.Outcome.SUCCESS).detail("expiresAt", expires.toString()).emit();
        Secret secret = Secret.ofBytes(token);
        java.util.Arrays.fill(token, (byte) 0);
        return new Issued(tenant, guid, secret, expires);
    }

    /**
     * Redeems {@code token} for {@code guid}'s agent: accepted once, before its expiry, for that device only.
     * Audited either way, with the refusal's reason; the token is never logged.
     */
    public Redemption redeem(DeviceGuid guid, byte[] token, String clientId) {
        Objects.requireNonNull(guid, "guid");
        Redemption result = check(guid, token);
        AuditEvent.Actor actor = AuditEvent.Actor.device(guid);
        if (result.accepted()) {
            audit.event("agent.token.redeemed").actor(actor).tenant(result.tenant().get()).target("device:" + guid.value())
                    .outcome(AuditEvent.Outcome.SUCCESS).detail("clientId", clean(clientId)).emit();
        } else {
            audit.event("agent.token.refused").actor(actor).target("device:" + guid.value())
                    .outcome(AuditEvent.Outcome.DENIED)
                    .reason(result.refusal().get().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '))
                    .detail("clientId", clean(clientId)).emit();
        }
        return result;
    }

    private Redemption check(DeviceGuid guid, byte[] token) {
        if (token == null || token.length != TOKEN_CHARS || !base64url(token)) {
            return refused(Refusal.MALFORMED);
        }
        String hash = sha256(token);
        Instant now = clock.instant();
        String redeem = "UPDATE agent_enrollment_tokens SET redeemed_at = ? WHERE token_sha256 = ? AND guid = ?"
                + " AND redeemed_at IS NULL AND expires_at > ? RETURNING tenant";
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement st = c.prepareStatement(redeem)) {
                st.setTimestamp(1, Timestamp.from(now));
                st.setString(2, hash);
                st.setString(3, guid.value());
                st.setTimestamp(4, Timestamp.from(now));
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        return new Redemption(Optional.of(new TenantId(rs.getString(1))), Optional.empty());
                    }
                }
            }
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT guid, redeemed_at, expires_at FROM agent_enrollment_tokens WHERE token_sha256 = ?")) {
                st.setString(1, hash);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return refused(Refusal.UNKNOWN);
                    }
                    if (!guid.value().equals(rs.getString(1))) {
                        return refused(Refusal.OTHER_DEVICE);
                    }
                    return refused(rs.getTimestamp(2) != null ? Refusal.ALREADY_USED : Refusal.EXPIRED);
                }
            }
        } catch (SQLException e) {
            return refused(Refusal.STORE_UNAVAILABLE);
        }
    }

    /** Deletes tokens that expired more than a day ago; returns how many. */
    public int purgeExpired() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("DELETE FROM agent_enrollment_tokens WHERE expires_at < ?")) {
            st.setTimestamp(1, Timestamp.from(clock.instant().minus(Duration.ofDays(1))));
            return st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not purge expired enrollment tokens", e);
        }
    }

    private static Redemption refused(Refusal refusal) {
        return new Redemption(Optional.empty(), Optional.of(refusal));
    }

    private static boolean base64url(byte[] token) {
        for (byte b : token) {
            if (!(b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '-' || b == '_')) {
                return false;
            }
        }
        return true;
    }

    private static String sha256(byte[] token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    private static String clean(String clientId) {
        if (clientId == null) {
            return "";
        }
        String s = clientId.replaceAll("[^\\x20-\\x7e]", "?");
        return s.length() > 128 ? s.substring(0, 128) : s;
    }
}
