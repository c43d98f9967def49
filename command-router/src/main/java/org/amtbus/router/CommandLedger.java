package org.amtbus.router;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.amtbus.schemas.model.Command;
import org.amtbus.schemas.model.GatewayId;

/**
 * The command ledger in PostgreSQL (table {@code commands}): what the router has decided about each command id.
 *
 * <p>Invariants: a command id is accepted once ({@link #acceptAll} reports every later arrival as a repeat);
 * a command becomes terminal once ({@link #decide} and {@link #sweep} change only rows that are not
 * terminal yet, so of the gateway's result and the router's deadline exactly one wins); a terminal result
 * stays unpublished until {@link #published} records it, so a crash between deciding and publishing is
 * repaired by {@link #unpublished}. Several routers may share the table. Blocking JDBC.
 */
public final class CommandLedger {

    /** What the ledger knew about a command id when it arrived. */
    public sealed interface Arrival {
        /** First time, not yet forwarded: go on (route it, or answer it). */
        record First() implements Arrival {
        }

        /** First time, and recorded as forwarded to the route the caller gave, durably: send it. */
        record Routed() implements Arrival {
        }

        /** Seen before and not yet decided: its result will come, do nothing. */
        record Pending(String state) implements Arrival {
        }

        /**
         * Seen before and decided: the requester may see that result again.
         *
         * @param redelivery the same Kafka record read again (after a restart), not a repeated request
         */
        record Decided(byte[] result, boolean published, boolean redelivery) implements Arrival {
        }
    }

    /** A forwarded command whose wait ended without a result. */
    public record Overdue(UUID commandId, String tenant, UUID guid, String action, String gateway, boolean gatewayGone) {
    }

    /** A decided result not yet known to be on amtbus.results. */
    public record Unpublished(UUID commandId, String guid, byte[] result) {
    }

    private final DataSource dataSource;

    public CommandLedger(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource);
    }

    /**
     * One command of a batch to accept, with the Kafka record it came from, and where it goes if the caller
     * already knows (its gateway holds the device and its ttl has not passed).
     */
    public record Incoming(Command command, Optional<String> principal, String source, Optional<Forwarded> route) {
        public Incoming(Command command, Optional<String> principal, String source) {
            this(command, principal, source, Optional.empty());
        }
    }

    /**
     * Accepts a batch of commands in two statements: one insert of every id (ON CONFLICT DO NOTHING), one
     * read of the ids that were there already. The answer is by command id; an id that occurs twice in the batch
     * is {@link Arrival.First} for its first occurrence only (the caller keeps track).
     *
     * <p>A new command with a route is inserted as {@code forwarded} to it at once ({@link Arrival.Routed}), so
     * routing a batch takes one statement instead of an insert and a later update; the insert then waits for the
     * disk, so a command is on record as forwarded before it is sent, and a redelivered record finds it so.
     * Without any route the insert commits without waiting for the disk: an accepted row lost in a crash only
     * makes the redelivered record (its offset is not committed yet) {@link Arrival.First} again, which it would
     * be anyway (an {@code accepted} row reads as First); whatever the router does next with such a command
     * ({@link #forwardedAll}, {@link #decide}) waits for the disk, and PostgreSQL's log is flushed in order.
     */
    public Map<UUID, Arrival> acceptAll(List<Incoming> batch) {
        Map<UUID, Arrival> out = new java.util.HashMap<>();
        if (batch.isEmpty()) {
            return out;
        }
        String insert = "INSERT INTO commands (command_id, tenant, guid, action, principal, source, state, gateway_id, deadline_at)"
                + " SELECT u.id, u.tenant, u.guid, u.action, u.principal, u.source,"
                + " CASE WHEN u.gateway IS NULL THEN 'accepted' ELSE 'forwarded' END, u.gateway, u.deadline"
                + " FROM unnest(?::uuid[], ?::varchar[], ?::uuid[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],"
                + " ?::timestamptz[]) AS u(id, tenant, guid, action, principal, source, gateway, deadline)"
                + " ON CONFLICT (command_id) DO NOTHING RETURNING command_id, state";
        boolean anyRoute = batch.stream().anyMatch(i -> i.route().isPresent());
        try (Connection c = dataSource.getConnection()) {
            Object[] ids = batch.stream().map(i -> i.command().id()).toArray();
            inTransaction(c, anyRoute, () -> {
                try (PreparedStatement st = c.prepareStatement(insert)) {
                    st.setArray(1, c.createArrayOf("uuid", ids));
                    st.setArray(2, c.createArrayOf("varchar", batch.stream().map(i -> i.command().tenant().value()).toArray()));
                    st.setArray(3, c.createArrayOf("uuid", batch.stream().map(i -> i.command().guid().toUuid()).toArray()));
                    st.setArray(4, c.createArrayOf("varchar", batch.stream().map(i -> i.command().action().wireName()).toArray()));
                    st.setArray(5, c.createArrayOf("varchar", batch.stream().map(i -> i.principal().orElse(null)).toArray()));
                    st.setArray(6, c.createArrayOf("varchar", batch.stream().map(Incoming::source).toArray()));
                    st.setArray(7, c.createArrayOf("varchar", batch.stream()
                            .map(i -> i.route().map(r -> r.gateway().value()).orElse(null)).toArray()));
                    st.setArray(8, c.createArrayOf("timestamptz", batch.stream()
                            .map(i -> i.route().map(r -> Timestamp.from(r.deadline())).orElse(null)).toArray()));
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            out.put(rs.getObject(1, UUID.class),
                                    "forwarded".equals(rs.getString(2)) ? new Arrival.Routed() : new Arrival.First());
                        }
                    }
                }
            });
            List<Incoming> known = batch.stream().filter(i -> !out.containsKey(i.command().id())).toList();
            if (!known.isEmpty()) {
                Map<UUID, String> sources = new java.util.HashMap<>();
                known.forEach(i -> sources.putIfAbsent(i.command().id(), i.source()));
                try (PreparedStatement read = c.prepareStatement(
                        "SELECT command_id, state, result, published, source FROM commands WHERE command_id = ANY (?)")) {
                    read.setArray(1, c.createArrayOf("uuid", sources.keySet().toArray()));
                    try (ResultSet rs = read.executeQuery()) {
                        while (rs.next()) {
                            UUID id = rs.getObject(1, UUID.class);
                            String state = rs.getString(2);
                            out.put(id, switch (state) {
                                case "accepted" -> new Arrival.First();
                                case "terminal" -> new Arrival.Decided(rs.getBytes(3), rs.getBoolean(4),
                                        sources.get(id).equals(rs.getString(5)));
                                default -> new Arrival.Pending(state);
                            });
                        }
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw new LedgerException("could not record a batch of " + batch.size() + " commands", e);
        }
    }

    /** A forwarded command: where it went and when its result is due. */
    public record Forwarded(UUID commandId, GatewayId gateway, Instant deadline) {
    }

    /** Marks a batch of commands as sent to their gateways, in one statement; each result is due by its deadline. */
    public void forwardedAll(List<Forwarded> batch) {
        if (batch.isEmpty()) {
            return;
        }
        String sql = "UPDATE commands c SET state = 'forwarded', gateway_id = f.gateway, deadline_at = f.deadline"
                + " FROM unnest(?::uuid[], ?::varchar[], ?::timestamptz[]) AS f(id, gateway, deadline)"
                + " WHERE c.command_id = f.id AND c.state = 'accepted'";
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setArray(1, c.createArrayOf("uuid", batch.stream().map(Forwarded::commandId).toArray()));
            st.setArray(2, c.createArrayOf("varchar", batch.stream().map(f -> f.gateway().value()).toArray()));
            st.setArray(3, c.createArrayOf("timestamptz", batch.stream().map(f -> Timestamp.from(f.deadline())).toArray()));
            st.executeUpdate();
        } catch (SQLException e) {
            throw new LedgerException("could not mark " + batch.size() + " commands forwarded", e);
        }
    }

    /**
     * Decides a command's result unless it is decided already; true if this call decided it. A result for
     * an id the ledger never saw (a command that reached a gateway without the router) is recorded too.
     */
    public boolean decide(Command command, String status, byte[] result) {
        return decide(command.id(), command.tenant().value(), command.guid().toUuid(), command.action().wireName(), status, result);
    }

    public boolean decide(UUID commandId, String tenant, UUID guid, String action, String status, byte[] result) {
        String sql = "INSERT INTO commands (command_id, tenant, guid, action, state, status, result) VALUES (?, ?, ?, ?, 'terminal', ?, ?)"
                + " ON CONFLICT (command_id) DO UPDATE SET state = 'terminal', status = excluded.status, result = excluded.result,"
                + " published = false WHERE commands.state <> 'terminal'";
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setObject(1, commandId);
            st.setString(2, tenant);
            st.setObject(3, guid);
            st.setString(4, action);
            st.setString(5, status);
            st.setBytes(6, result);
            return st.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new LedgerException("could not decide command " + commandId, e);
        }
    }

    /** One result to decide in a batch: as the arguments of {@link #decide(UUID, String, UUID, String, String, byte[])}. */
    public record Decision(UUID commandId, String tenant, UUID guid, String action, String status, byte[] result) {
    }

    /**
     * Decides a batch of results in one statement, each as {@link #decide(UUID, String, UUID, String, String, byte[])}
     * would; returns the ids this call decided (the others already had a result). The ids must be distinct: PostgreSQL
     * cannot update one row twice in one statement (the caller keeps the first result of a command).
     */
    public java.util.Set<UUID> decideAll(List<Decision> batch) {
        java.util.Set<UUID> decided = new java.util.HashSet<>();
        if (batch.isEmpty()) {
            return decided;
        }
        String sql = "INSERT INTO commands (command_id, tenant, guid, action, state, status, result)"
                + " SELECT d.id, d.tenant, d.guid, d.action, 'terminal', d.status, d.result"
                + " FROM unnest(?::uuid[], ?::varchar[], ?::uuid[], ?::varchar[], ?::varchar[], ?::bytea[])"
                + " AS d(id, tenant, guid, action, status, result)"
                + " ON CONFLICT (command_id) DO UPDATE SET state = 'terminal', status = excluded.status, result = excluded.result,"
                + " published = false WHERE commands.state <> 'terminal' RETURNING command_id";
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setArray(1, c.createArrayOf("uuid", batch.stream().map(Decision::commandId).toArray()));
            st.setArray(2, c.createArrayOf("varchar", batch.stream().map(Decision::tenant).toArray()));
            st.setArray(3, c.createArrayOf("uuid", batch.stream().map(Decision::guid).toArray()));
            st.setArray(4, c.createArrayOf("varchar", batch.stream().map(Decision::action).toArray()));
            st.setArray(5, c.createArrayOf("varchar", batch.stream().map(Decision::status).toArray()));
            st.setArray(6, c.createArrayOf("bytea", batch.stream().map(Decision::result).toArray(byte[][]::new)));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    decided.add(rs.getObject(1, UUID.class));
                }
            }
            return decided;
        } catch (SQLException e) {
            throw new LedgerException("could not decide a batch of " + batch.size() + " results", e);
        }
    }

    /**
     * Takes up to {@code limit} forwarded commands whose deadline passed or whose gateway's heartbeat lapsed,
     * for the caller to decide. Several routers may read the same rows; {@link #decide} lets only one of
     * them (or the gateway's late result) make each terminal.
     */
    public List<Overdue> overdue(int limit) {
        String sql = "SELECT c.command_id, c.tenant, c.guid, c.action, c.gateway_id, (g.gateway_id IS NULL OR g.expires_at <= now())"
                + " FROM commands c LEFT JOIN gateways g ON g.gateway_id = c.gateway_id"
                + " WHERE c.state = 'forwarded' AND (c.deadline_at <= now() OR g.gateway_id IS NULL OR g.expires_at <= now())"
                + " ORDER BY c.deadline_at LIMIT ?";
        List<Overdue> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setInt(1, limit);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new Overdue(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class), rs.getString(4),
                            rs.getString(5), rs.getBoolean(6)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new LedgerException("could not read overdue commands", e);
        }
    }

    /** Records results as being on amtbus.results. */
    public void published(Collection<UUID> commandIds) {
        if (commandIds.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            // no wait for the disk: if a crash loses this mark, the sweeper publishes the same result again
            // (same result id, consumers drop it), which is what "published" exists to allow
            inTransaction(c, false, () -> {
                try (PreparedStatement st = c.prepareStatement("UPDATE commands SET published = true WHERE command_id = ANY (?)")) {
                    st.setArray(1, c.createArrayOf("uuid", commandIds.toArray()));
                    st.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw new LedgerException("could not mark results published", e);
        }
    }

    /** Decided results older than {@code age} that were never recorded as published (a crash in between). */
    public List<Unpublished> unpublished(Duration age, int limit) {
        String sql = "SELECT command_id, guid, result FROM commands WHERE state = 'terminal' AND NOT published"
                + " AND accepted_at <= now() - ? * interval '1 millisecond' LIMIT ?";
        List<Unpublished> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setLong(1, age.toMillis());
            st.setInt(2, limit);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new Unpublished(rs.getObject(1, UUID.class), rs.getString(2), rs.getBytes(3)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new LedgerException("could not read unpublished results", e);
        }
    }

    /** Forgets decided commands older than the de-duplication window; the number forgotten. */
    public int purge(Duration window) {
        String sql = "DELETE FROM commands WHERE state = 'terminal' AND published AND accepted_at < now() - ? * interval '1 millisecond'";
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setLong(1, window.toMillis());
            return st.executeUpdate();
        } catch (SQLException e) {
            throw new LedgerException("could not purge old commands", e);
        }
    }

    /** PostgreSQL failed; the message says what was attempted. */
    public static final class LedgerException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LedgerException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Statements of one transaction on a connection given to {@link #inTransaction}. */
    @FunctionalInterface
    private interface TransactionWork {
        void run() throws SQLException;
    }

    /**
     * Runs {@code work} as one transaction on {@code c}, rolled back if it throws. With {@code waitForDisk} false the
     * commit does not wait for PostgreSQL to flush its log (callers say why that is safe for what they write).
     */
    private static void inTransaction(Connection c, boolean waitForDisk, TransactionWork work) throws SQLException {
        c.setAutoCommit(false);
        try {
            if (!waitForDisk) {
                try (PreparedStatement lazy = c.prepareStatement("SET LOCAL synchronous_commit TO off")) {
                    lazy.execute();
                }
            }
            work.run();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }
}
