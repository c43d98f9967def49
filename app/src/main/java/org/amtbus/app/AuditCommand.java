package org.amtbus.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.amtbus.audit.query.AuditQueries;
import org.amtbus.audit.query.AuditSearch;
import org.amtbus.audit.query.PublicKeyExport;
import org.amtbus.audit.query.StoredEvent;
import org.amtbus.audit.verify.StreamVerification;
import org.amtbus.audit.verify.VerificationResult;
import org.amtbus.schemas.Json;
import org.amtbus.schemas.model.AuditEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code amtbus audit}: the tamper-evident audit trail the node's audit sink stores. {@code verify} checks every
 * stream's hash chain and signed checkpoints and names the first problem; {@code tail} and {@code search} are for
 * people; {@code keys} exports the checkpoint public keys for verification elsewhere.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Verify, read and search the audit trail.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Tail.class, AuditCommand.Search.class, AuditCommand.Keys.class})
final class AuditCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check every chain and checkpoint; exit 0 when intact, 1 naming the first tampered, missing or "
                    + "reordered event.")
    static final class Verify extends NodeCommand implements Callable<Integer> {
        @Option(names = "--trusted-key", paramLabel = "PEM",
                description = "verify signatures only against these exported keys (repeatable), not the stored ones")
        List<Path> trustedKeys = List.of();

        @Override
        public Integer call() throws Exception {
            try (NodeConnection node = connect()) {
                AuditQueries queries = new AuditQueries(node.database.dataSource());
                VerificationResult result;
                if (trustedKeys.isEmpty()) {
                    result = queries.verify();
                } else {
                    List<java.security.PublicKey> keys = new ArrayList<>();
                    for (Path p : trustedKeys) {
                        keys.add(AuditQueries.readPublicKey(Files.readString(p)));
                    }
                    result = queries.verify(keys);
                }
                for (StreamVerification s : result.streams()) {
                    System.out.println("stream " + s.stream() + ": events " + s.events() + " (seq " + s.firstSeq() + "-"
                            + s.lastSeq() + "), checkpoints " + s.checkpoints() + " (last at seq " + s.lastCheckpointSeq() + ")"
                            + s.problem().map(p -> "  PROBLEM " + p.kind() + " at seq " + p.seq() + ": " + p.detail()).orElse(""));
                }
                if (result.intact()) {
                    System.out.println("intact: " + result.events() + " events, " + result.checkpoints() + " checkpoints");
                    node.audit.event("audit.verified").actor(node.actor).outcome(AuditEvent.Outcome.SUCCESS)
                            .detail("events", Long.toString(result.events())).emit();
                    return 0;
                }
                var first = result.firstProblem().orElseThrow();
                System.out.println("TAMPERED: " + first.kind() + " in stream " + first.stream() + " at seq " + first.seq() + ": "
                        + first.detail());
                node.audit.event("audit.verified").actor(node.actor).outcome(AuditEvent.Outcome.FAILURE)
                        .reason(first.kind() + " in stream " + first.stream() + " at seq " + first.seq()).emit();
                return 1;
            }
        }
    }

    @Command(name = "tail", mixinStandardHelpOptions = true, description = "The last N stored events, oldest first.")
    static final class Tail extends NodeCommand implements Callable<Integer> {
        @Option(names = {"-n", "--lines"}, defaultValue = "20") int n;
        @Option(names = "--json", description = "one JSON event per line") boolean json;

        @Override
        public Integer call() {
            try (NodeConnection node = connect()) {
                print(new AuditQueries(node.database.dataSource()).tail(Math.max(1, Math.min(n, AuditSearch.MAX_LIMIT))), json);
            }
            return 0;
        }
    }

    @Command(name = "search", mixinStandardHelpOptions = true, description = "Events by type (e.g. auth.login or auth.*), actor "
            + "and time.")
    static final class Search extends NodeCommand implements Callable<Integer> {
        @Option(names = "--type") String type;
        @Option(names = "--actor") String actor;
        @Option(names = "--since", description = "ISO-8601 instant, e.g. 2026-11-23T10:00:00Z") String since;
        @Option(names = "--until") String until;
        @Option(names = "--limit", defaultValue = "100") int limit;
        @Option(names = "--json") boolean json;

        @Override
        public Integer call() {
            AuditSearch search;
            try {
                search = AuditSearch.all().withLimit(limit);
                if (type != null) {
                    search = search.withType(type);
                }
                if (actor != null) {
                    search = search.withActor(actor);
                }
                if (since != null || until != null) {
                    search = search.between(since == null ? null : Instant.parse(since), until == null ? null : Instant.parse(until));
                }
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw new StartupException(StartupException.CONFIGURATION, OneLine.of(e));
            }
            try (NodeConnection node = connect()) {
                print(new AuditQueries(node.database.dataSource()).search(search), json);
            }
            return 0;
        }
    }

    @Command(name = "keys", mixinStandardHelpOptions = true, description = "Export the checkpoint public keys (PEM).")
    static final class Keys extends NodeCommand implements Callable<Integer> {

        @Override
        public Integer call() {
            try (NodeConnection node = connect()) {
                for (PublicKeyExport k : new AuditQueries(node.database.dataSource()).publicKeys()) {
                    System.out.println("# key " + k.keyId() + " created " + k.createdAt());
                    System.out.print(k.pem());
                }
            }
            return 0;
        }
    }

    private static void print(List<StoredEvent> events, boolean json) {
        for (StoredEvent e : events) {
            if (json) {
                System.out.println(Json.writeString(e.event()));
                continue;
            }
            AuditEvent a = e.event();
            System.out.println(a.time() + "  " + a.type() + "  " + a.outcome().wireName() + "  " + a.actor().kind().wireName() + ":"
                    + a.actor().name() + (a.target() == null ? "" : "  target=" + a.target())
                    + (a.source() == null ? "" : "  from=" + a.source()) + (a.reason() == null ? "" : "  reason=" + a.reason())
                    + "  [" + e.stream() + "#" + e.seq() + "]");
        }
    }
}
