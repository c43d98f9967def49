package org.amtbus.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.amtbus.platform.db.Database;
import org.amtbus.platform.testing.SharedPostgres;
import org.amtbus.schemas.model.Command;
import org.amtbus.schemas.model.CommandAction;
import org.amtbus.schemas.model.CommandResult;
import org.amtbus.schemas.model.GatewayId;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.TenantId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ledger's batch decision of gateway results: one statement, and still one terminal result per command. */
class CommandLedgerIT {

    private static Database database;
    private static CommandLedger ledger;

    @BeforeAll
    static void start() {
        database = SharedPostgres.newDatabase().migrated();
        ledger = new CommandLedger(database.dataSource());
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    @Test
    void aBatchDecidesEveryOpenCommandOnceAndLeavesDecidedOnesAlone() throws Exception {
        // given a forwarded command, a command already answered, and an id the ledger never saw
        UUID forwarded = accepted();
        UUID answered = accepted();
        assertThat(ledger.decide(answered, "default", UUID.randomUUID(), "power.state", "expired", bytes("first"))).isTrue();
        UUID unknown = UUID.randomUUID();

        // when one batch reports results for all three
        Set<UUID> decided = ledger.decideAll(List.of(decision(forwarded, "succeeded"), decision(answered, "succeeded"),
                decision(unknown, "failed")));

        // then the open and the unknown command are decided, the answered one keeps its first result
        assertThat(decided).containsExactlyInAnyOrder(forwarded, unknown);
        assertThat(status(forwarded)).isEqualTo("succeeded");
        assertThat(status(unknown)).isEqualTo("failed");
        assertThat(status(answered)).isEqualTo("expired");
        assertThat(result(answered)).isEqualTo("first");
    }

    @Test
    void aRedeliveredBatchDecidesNothing() {
        // given a batch that was decided
        UUID a = accepted();
        UUID b = accepted();
        List<CommandLedger.Decision> batch = List.of(decision(a, "succeeded"), decision(b, "failed"));
        assertThat(ledger.decideAll(batch)).containsExactlyInAnyOrder(a, b);

        // when the same records come again (a redelivery after a crash before the offset commit)
        // then none of them is decided a second time, so nothing is published twice
        assertThat(ledger.decideAll(batch)).isEmpty();
    }

    @Test
    void aFlushMarksItsResultsPublishedWithoutWaitingForTheMarks() throws Exception {
        org.amtbus.platform.kafka.KafkaClients kafka = org.amtbus.platform.testing.SharedKafka.clients();
        try (org.apache.kafka.clients.producer.Producer<String, byte[]> producer = kafka.producer("ledger-it");
             org.amtbus.platform.audit.AuditLog audit = new org.amtbus.platform.audit.AuditLog(producer,
                     java.time.Clock.systemUTC(), "ledger-it");
             TerminalResults results = new TerminalResults(ledger, producer, audit,
                     new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), java.time.Clock.systemUTC())) {
            // given a gateway's result that was decided and sent, but not flushed yet
            UUID id = accepted();
            CommandResult reported = new CommandResult(UUID.randomUUID(), id, new TenantId("default"),
                    DeviceGuid.of(UUID.randomUUID()), CommandResult.Status.SUCCEEDED, null, null, Map.of(),
                    new GatewayId("gw-1"), java.time.Instant.now());
            assertThat(results.decideReportedAll(List.of(reported), "reported")).containsExactly(reported);
            assertThat(unpublished()).contains(id);

            // when the loop flushes
            results.flush();

            // then the ledger learns it is out (on the marks' own thread), and the sweeper will not publish it again
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> !unpublished().contains(id));
        }
    }

    private static List<UUID> unpublished() {
        return ledger.unpublished(java.time.Duration.ZERO, 10_000).stream().map(CommandLedger.Unpublished::commandId).toList();
    }

    @Test
    void aRoutedCommandIsOnRecordAsForwardedInTheAcceptingStatement() throws Exception {
        // given a new command whose gateway is known, beside one whose gateway is not
        Command routed = command();
        Command unrouted = command();
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(60);
        CommandLedger.Forwarded route = new CommandLedger.Forwarded(routed.id(), new GatewayId("gw-7"), deadline);

        // when the batch is accepted
        Map<UUID, CommandLedger.Arrival> arrivals = ledger.acceptAll(List.of(
                new CommandLedger.Incoming(routed, Optional.of("alice"), "test/0/1", Optional.of(route)),
                new CommandLedger.Incoming(unrouted, Optional.of("alice"), "test/0/2")));

        // then the routed one is forwarded to its gateway already, the other merely accepted
        assertThat(arrivals.get(routed.id())).isInstanceOf(CommandLedger.Arrival.Routed.class);
        assertThat(arrivals.get(unrouted.id())).isInstanceOf(CommandLedger.Arrival.First.class);
        assertThat(row(routed.id(), "state || ':' || gateway_id")).isEqualTo("forwarded:gw-7");
        assertThat(row(unrouted.id(), "state")).isEqualTo("accepted");

        // and the same records read again find it forwarded (never sent twice), the accepted one first again
        Map<UUID, CommandLedger.Arrival> again = ledger.acceptAll(List.of(
                new CommandLedger.Incoming(routed, Optional.of("alice"), "test/0/1", Optional.of(route)),
                new CommandLedger.Incoming(unrouted, Optional.of("alice"), "test/0/2")));
        assertThat(again.get(routed.id())).isEqualTo(new CommandLedger.Arrival.Pending("forwarded"));
        assertThat(again.get(unrouted.id())).isInstanceOf(CommandLedger.Arrival.First.class);
    }

    private static Command command() {
        return new Command(UUID.randomUUID(), new TenantId("default"), DeviceGuid.of(UUID.randomUUID()),
                CommandAction.POWER_STATE, 60, Map.of(), java.time.Instant.now());
    }

    private static String row(UUID id, String expression) throws Exception {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement st = c.prepareStatement("SELECT " + expression + " FROM commands WHERE command_id = ?")) {
            st.setObject(1, id);
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    @Test
    void anEmptyBatchNeedsNoDatabase() {
        assertThat(ledger.decideAll(List.of())).isEmpty();
    }

    private static UUID accepted() {
        Command command = new Command(UUID.randomUUID(), new TenantId("default"), DeviceGuid.of(UUID.randomUUID()),
                CommandAction.POWER_STATE, 60, Map.of(), java.time.Instant.now());
        Map<UUID, CommandLedger.Arrival> arrival = ledger.acceptAll(List.of(new CommandLedger.Incoming(command,
                Optional.of("alice"), "test/0/" + System.nanoTime())));
        assertThat(arrival.get(command.id())).isInstanceOf(CommandLedger.Arrival.First.class);
        return command.id();
    }

    private static CommandLedger.Decision decision(UUID id, String status) {
        return new CommandLedger.Decision(id, "default", UUID.randomUUID(), "reported", status, bytes(status));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String status(UUID id) throws Exception {
        return column(id, "status");
    }

    private static String result(UUID id) throws Exception {
        return column(id, "convert_from(result, 'UTF8')");
    }

    private static String column(UUID id, String expression) throws Exception {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement st = c.prepareStatement("SELECT " + expression + ", state FROM commands WHERE command_id = ?")) {
            st.setObject(1, id);
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(2)).isEqualTo("terminal");
                return rs.getString(1);
            }
        }
    }
}
