package org.amtbus.app;

import java.nio.file.Path;
import org.amtbus.platform.secret.SecretStore;
import picocli.CommandLine.Option;

/**
 * A CLI command that works on a node's data directory: its {@code --data-dir} and {@code --config} options, and
 * what they open (the node's database, Kafka and audit log; its secret store).
 */
abstract class NodeCommand {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "The node's data directory (default: $AMTBUS_APP_DATADIR, else ~/.amtbus).")
    Path dataDir;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The node's YAML configuration file (default: <data-dir>/amtbus.yaml when it exists).")
    Path config;

    /** The node's database, Kafka and audit log, as the local operator; close it after the action. */
    NodeConnection connect() {
        return NodeConnection.open(dataDir, config);
    }

    /** The node's secret store; close it after the action. */
    SecretStore secrets() {
        return SecretCommand.open(dataDir, config);
    }
}
