package org.amtbus.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code amtbus} command. {@code amtbus run} starts every role in one process on embedded
 * defaults; other sub-commands operate a running installation.
 */
@Command(name = "amtbus",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Secure out-of-band management for Intel AMT fleets over MQTT and Kafka.",
        subcommands = {RunCommand.class, DeviceCommand.class, SimCommand.class, AuditCommand.class, UserCommand.class, AclCommand.class, TokenCommand.class, SecretCommand.class, CertCommand.class,
                ProfileCommand.class, DomainCommand.class, ProvisionCommand.class, DeprovisionCommand.class,
                CommandLine.HelpCommand.class})
public final class Amtbus implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (0 ok, 1 runtime failure, 2 usage or configuration). */
    public static int execute(String... args) {
        return execute(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
    }

    static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Amtbus());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // one clear line, never a stack trace, for anything the user can fix
            commandLine.getErr().println("amtbus: " + OneLine.of(e));
            return e instanceof StartupException s ? s.exitCode() : 1;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
