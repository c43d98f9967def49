package org.amtbus.app;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.amtbus.audit.alert.AlertConfig;
import org.amtbus.audit.siem.delivery.SiemFormat;
import org.amtbus.audit.siem.delivery.SiemOutputConfig;
import org.amtbus.platform.config.ConfigException;
import org.amtbus.platform.config.Settings;
import org.amtbus.platform.secret.SecretName;

/**
 * The audit sink's SIEM outputs and alert rules, as settings name them (docs/audit.md): {@code siem.outputs} lists
 * output names; each has {@code siem.<name>.format} (rfc5424, cef, leef, ecs, ocsf, hec) and
 * {@code siem.<name>.transport} (tls, file, https) with what that transport needs. The HEC token is a
 * secret-store entry named by {@code siem.<name>.tokenName}, never a value here.
 */
record AuditSettings(List<SiemOutputConfig> siemOutputs, Optional<Path> siemCaFile, AlertConfig alerts,
                     Duration verifyInterval) {

    private static final Pattern OUTPUT = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    static AuditSettings from(Settings s) {
        List<SiemOutputConfig> outputs = new ArrayList<>();
        for (String name : s.list("siem.outputs", List.of())) {
            if (!OUTPUT.matcher(name).matches()) {
                throw new ConfigException("siem.outputs: '" + name + "' must be lowercase letters, digits and '-'");
            }
            String key = "siem." + name + ".";
            SiemFormat format;
            try {
                format = SiemFormat.parse(s.string(key + "format", null, Pattern.compile("(?i)rfc5424|cef|leef|ecs|ocsf|hec"),
                        "rfc5424, cef, leef, ecs, ocsf or hec"));
            } catch (NullPointerException e) {
                throw new ConfigException(key + "format: required");
            }
            String transport = s.string(key + "transport", "tls", Pattern.compile("tls|file|https"), "tls, file or https");
            try {
                outputs.add(switch (transport) {
                    case "tls" -> SiemOutputConfig.syslogTls(name, format,
                            s.raw(key + "host").orElseThrow(() -> new ConfigException(key + "host: required for tls")),
                            s.port(key + "port", 6514, false), s.bool(key + "clientCertificate", false));
                    case "file" -> SiemOutputConfig.file(name, format, Path.of(s.raw(key + "file")
                            .orElseThrow(() -> new ConfigException(key + "file: required for a file output"))));
                    default -> SiemOutputConfig.https(name, format, URI.create(s.raw(key + "url")
                                    .orElseThrow(() -> new ConfigException(key + "url: required for https"))),
                            s.raw(key + "tokenName").map(SecretName::new));
                });
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
        }
        AlertConfig d = AlertConfig.defaults();
        AlertConfig alerts;
        try {
            alerts = new AlertConfig(d.auditTopic(), d.alertsTopic(), d.groupId(),
                    s.intIn("alerts.authFailureThreshold", d.authFailureThreshold(), 1, 10_000),
                    s.duration("alerts.authFailureWindow", d.authFailureWindow(), Duration.ofSeconds(1), Duration.ofHours(24)),
                    s.bool("alerts.lockout", d.lockoutAlerts()), s.bool("alerts.commandDenial", d.commandDenialAlerts()),
                    d.commandTopic(),
                    s.duration("alerts.certExpiryWithin", d.certExpiryWithin(), Duration.ZERO, Duration.ofDays(365)),
                    s.bool("alerts.chain", d.chainAlerts()), d.defaultTenant());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        return new AuditSettings(List.copyOf(outputs), s.raw("siem.caFile").map(Path::of), alerts,
                s.duration("alerts.verifyInterval", Duration.ofHours(1), Duration.ofMinutes(1), Duration.ofDays(7)));
    }
}
