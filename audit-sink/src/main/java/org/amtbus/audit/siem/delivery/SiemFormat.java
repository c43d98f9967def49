package org.amtbus.audit.siem.delivery;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Function;
import org.amtbus.audit.siem.Cef;
import org.amtbus.audit.siem.Ecs;
import org.amtbus.audit.siem.Hec;
import org.amtbus.audit.siem.Leef;
import org.amtbus.audit.siem.Ocsf;
import org.amtbus.audit.siem.SiemEvent;
import org.amtbus.audit.siem.Syslog;

/**
 * The formats an output can speak, and how a record of each is framed for its transport: a
 * syslog-over-TLS record is one octet-counted RFC 5425 frame, a file record one line ending in
 * {@code \n}, an HTTPS record one JSON object (HEC) or one JSON line.
 */
public enum SiemFormat {
    /** RFC 5424 with the {@code audit@<PEN>} STRUCTURED-DATA element. */
    RFC5424(true, false),
    /** ArcSight CEF (inside an RFC 5424 message when sent over syslog). */
    CEF(true, false),
    /** IBM QRadar LEEF 2.0 (inside an RFC 5424 message when sent over syslog). */
    LEEF(true, false),
    /** Elastic Common Schema JSON. */
    ECS(false, true),
    /** OCSF JSON. */
    OCSF(false, true),
    /** Splunk HTTP Event Collector JSON. */
    HEC(false, true);

    private final boolean line;
    private final boolean json;

    SiemFormat(boolean line, boolean json) {
        this.line = line;
        this.json = json;
    }

    /** The transports a format can use. */
    public enum Carrier { SYSLOG_TLS, FILE, HTTPS }

    public static SiemFormat parse(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    public boolean allows(Carrier carrier) {
        return switch (carrier) {
            case SYSLOG_TLS -> line;
            case FILE -> true;
            case HTTPS -> json;
        };
    }

    /** The encoder of this format for {@code carrier}: event in, one spool record out. */
    public Function<SiemEvent, byte[]> encoder(Carrier carrier, Syslog.Origin origin, String productVersion) {
        if (!allows(carrier)) {
            throw new IllegalArgumentException(this + " cannot be sent over " + carrier);
        }
        Hec.Target hecTarget = new Hec.Target(origin.hostname(), "amtbus:" + origin.appName(), null);
        return switch (carrier) {
            case SYSLOG_TLS -> switch (this) {
                case RFC5424 -> event -> Syslog.frame(event, origin);
                case CEF -> event -> Syslog.frameText(event, origin, Cef.encode(event, productVersion));
                case LEEF -> event -> Syslog.frameText(event, origin, Leef.encode(event, productVersion));
                default -> throw new IllegalStateException("unreachable");
            };
            case FILE, HTTPS -> switch (this) {
                case RFC5424 -> event -> line(Syslog.message(event, origin));
                case CEF -> event -> line(Cef.encode(event, productVersion));
                case LEEF -> event -> line(Leef.encode(event, productVersion));
                case ECS -> event -> line(Ecs.encode(event, productVersion));
                case OCSF -> event -> line(Ocsf.encode(event, productVersion));
                case HEC -> event -> line(Hec.encode(event, hecTarget));
            };
        };
    }

    private static byte[] line(String text) {
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] line(byte[] json) {
        byte[] out = new byte[json.length + 1];
        System.arraycopy(json, 0, out, 0, json.length);
        out[json.length] = '\n';
        return out;
    }
}
