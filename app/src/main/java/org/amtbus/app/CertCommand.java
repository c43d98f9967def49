package org.amtbus.app;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.amtbus.platform.tls.CertificateRequests;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code amtbus cert}: certificate tooling beside the dev CA. */
@Command(name = "cert", mixinStandardHelpOptions = true, description = "Certificate tooling.",
        subcommands = {CertCommand.Csr.class, CertCommand.Issue.class})
final class CertCommand {

    /** {@code amtbus cert csr}: a key and a signing request for an organization's own CA. */
    @Command(name = "csr", mixinStandardHelpOptions = true,
            description = "Create an ECDSA P-384 key (0600) and a PKCS#10 request for your own CA to sign.")
    static final class Csr implements Callable<Integer> {

        @Option(names = "--name", required = true, description = "File name stem: writes <out>/<name>.csr and <out>/<name>.key.")
        String name;

        @Option(names = "--cn", description = "Common name (default: the first DNS name, else the name).")
        String commonName;

        @Option(names = "--dns", split = ",", description = "DNS names for the certificate.")
        List<String> dns = new ArrayList<>();

        @Option(names = "--ip", split = ",", description = "IP addresses for the certificate.")
        List<String> ips = new ArrayList<>();

        @Option(names = "--out", defaultValue = ".", description = "Directory to write to (default: current).")
        Path out;

        @Override
        public Integer call() {
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                throw new StartupException(StartupException.CONFIGURATION, "--name: letters, digits, '.', '_' or '-' only");
            }
            List<InetAddress> addresses = new ArrayList<>();
            for (String ip : ips) {
                addresses.add(org.amtbus.platform.config.Settings.ipLiteral(ip).orElseThrow(() ->
                        new StartupException(StartupException.CONFIGURATION, "--ip: '" + ip + "' is not an IP address")));
            }
            String cn = commonName != null ? commonName : dns.isEmpty() ? name : dns.get(0);
            CertificateRequests.Written written = CertificateRequests.write(out.toAbsolutePath(), name, cn, dns, addresses);
            System.out.println("request: " + written.request());
            System.out.println("key:     " + written.key() + " (0600; keep it on this machine)");
            return 0;
        }
    }

    /** {@code amtbus cert issue}: a server certificate from the node's dev CA, e.g. for Kafka or PostgreSQL in compose. */
    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Issue (or keep, while valid for 30 more days) an ECDSA P-384 server certificate from the dev CA of "
                    + "the data directory (created if absent): writes <out>/<name>.crt (with the chain) and <name>.key (0600).")
    static final class Issue implements Callable<Integer> {
        @Option(names = "--name", required = true) String name;
        @Option(names = "--dns", split = ",", description = "DNS names for the certificate.") List<String> dns = new ArrayList<>();
        @Option(names = "--ip", split = ",", description = "IP addresses for the certificate.") List<String> ips = new ArrayList<>();
        @Option(names = "--out", description = "Directory to write to (default: <data-dir>/tls).") Path out;
        @Option(names = "--data-dir", paramLabel = "DIR") Path dataDir;

        @Override
        public Integer call() {
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                throw new StartupException(StartupException.CONFIGURATION, "--name: letters, digits, '.', '_' or '-' only");
            }
            List<InetAddress> addresses = new ArrayList<>();
            for (String ip : ips) {
                addresses.add(org.amtbus.platform.config.Settings.ipLiteral(ip).orElseThrow(() ->
                        new StartupException(StartupException.CONFIGURATION, "--ip: '" + ip + "' is not an IP address")));
            }
            Path tls = DataDirectory.resolve(dataDir).resolve("tls");
            var ca = org.amtbus.platform.tls.CertificateAuthority.loadOrCreate(tls, java.time.Clock.systemUTC());
            Path target = out == null ? tls : out.toAbsolutePath();
            var issued = ca.loadOrIssueServer(target, name, dns, addresses);
            System.out.println("certificate: " + target.resolve(name + ".crt") + " (expires " + issued.certificate().getNotAfter()
                    .toInstant() + ")");
            System.out.println("key:         " + target.resolve(name + ".key") + " (0600)");
            System.out.println("CA:          " + ca.certificateFile());
            return 0;
        }
    }
}
