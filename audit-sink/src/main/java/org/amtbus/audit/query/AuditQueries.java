package org.amtbus.audit.query;

import java.io.IOException;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.amtbus.audit.chain.Hex;
import org.amtbus.audit.chain.StreamId;
import org.amtbus.audit.checkpoint.CheckpointKey;
import org.amtbus.audit.store.AuditStoreException;
import org.amtbus.audit.verify.AuditVerifier;
import org.amtbus.audit.verify.VerificationResult;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.AuditEvent;

/**
 * What the CLI asks of the audit trail ({@code amtbus audit tail|search|verify}): read-only, plain
 * Java. Events come back oldest first, bound from the stored verbatim bytes (never from the search
 * columns). Every statement is parameterized. Thread-safe; blocking.
 */
public final class AuditQueries {

    private static final String COLUMNS = "stream, seq, position, event_bytes, stored_at, hash";

    private final DataSource dataSource;
    private final AuditVerifier verifier;

    public AuditQueries(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.verifier = new AuditVerifier(dataSource);
    }

    /** The last {@code n} events stored (1 to {@link AuditSearch#MAX_LIMIT}), oldest first. */
    public List<StoredEvent> tail(int n) {
        if (n < 1 || n > AuditSearch.MAX_LIMIT) {
            throw new IllegalArgumentException("n must be 1 to " + AuditSearch.MAX_LIMIT + ", was " + n);
        }
        return newestFirstReversed("SELECT " + COLUMNS + " FROM audit_events ORDER BY position DESC LIMIT ?",
                List.of(n));
    }

    /** The newest events matching {@code search}, oldest first. */
    public List<StoredEvent> search(AuditSearch search) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_events WHERE true");
        List<Object> params = new ArrayList<>();
        if (search.type() != null) {
            if (search.type().endsWith(".*")) {
                sql.append(" AND type LIKE ?");
                params.add(search.type().substring(0, search.type().length() - 1) + "%");
            } else {
                sql.append(" AND type = ?");
                params.add(search.type());
            }
        }
        if (search.actor() != null) {
            sql.append(" AND actor_name = ?");
            params.add(search.actor());
        }
        if (search.since() != null) {
            sql.append(" AND event_time >= ?");
            params.add(search.since().atOffset(ZoneOffset.UTC));
        }
        if (search.until() != null) {
            sql.append(" AND event_time < ?");
            params.add(search.until().atOffset(ZoneOffset.UTC));
        }
        sql.append(" ORDER BY event_time DESC, position DESC LIMIT ?");
        params.add(search.limit());
        return newestFirstReversed(sql.toString(), params);
    }

    /** Verifies the whole trail with the keys stored beside it. */
    public VerificationResult verify() {
        return verifier.verify();
    }

    /** Verifies the whole trail trusting only {@code trustedKeys} (e.g. read back from {@link #publicKeys()} exports). */
    public VerificationResult verify(Collection<PublicKey> trustedKeys) {
        return verifier.verify(trustedKeys);
    }

    /** The checkpoint verification keys, for export. */
    public List<PublicKeyExport> publicKeys() {
        List<PublicKeyExport> keys = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT key_id, public_key, created_at FROM audit_keys ORDER BY created_at");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                keys.add(new PublicKeyExport(rs.getString(1).trim(), pem(rs.getBytes(2)),
                        rs.getObject(3, OffsetDateTime.class).toInstant()));
            }
        } catch (SQLException e) {
            throw new AuditStoreException("could not read the audit checkpoint keys", e);
        }
        return keys;
    }

    /** Reads a key exported by {@link #publicKeys()} (a PEM {@code PUBLIC KEY} block). */
    public static PublicKey readPublicKey(String pem) {
        String base64 = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        return CheckpointKey.publicKey(Base64.getDecoder().decode(base64));
    }

    private static String pem(byte[] der) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END PUBLIC KEY-----\n";
    }

    private List<StoredEvent> newestFirstReversed(String sql, List<Object> params) {
        List<StoredEvent> events = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                st.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    events.add(new StoredEvent(new StreamId(rs.getString(1)), rs.getLong(2), rs.getLong(3),
                            event(rs.getBytes(4)), rs.getObject(5, OffsetDateTime.class).toInstant(),
                            Hex.of(rs.getBytes(6))));
                }
            }
        } catch (SQLException e) {
            throw new AuditStoreException("could not query the audit trail", e);
        }
        Collections.reverse(events);
        return events;
    }

    private static AuditEvent event(byte[] bytes) {
        try {
            return Json.read(bytes, AuditEvent.class);
        } catch (IOException e) {
            throw new AuditStoreException("a stored audit event cannot be read; run verify", e);
        }
    }
}
