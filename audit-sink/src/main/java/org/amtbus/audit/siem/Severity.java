package org.amtbus.audit.siem;

/**
 * One severity scale for every format, derived from the event's type and outcome (wire names), so that
 * CEF, LEEF, ECS and OCSF never disagree about how bad an event is. Pure.
 */
final class Severity {

    private Severity() {
    }

    /** 0-10 (CEF): lockouts and alerts high, denials 6, failures 5, the rest 3. */
    static int of(String type, String outcome) {
        if (type != null && (type.endsWith(".lockout") || type.startsWith("alert."))) {
            return 7;
        }
        if (outcome == null) {
            return 3;
        }
        return switch (outcome) {
            case "denied" -> 6;
            case "failure", "error" -> 5;
            default -> 3;
        };
    }

    /** OCSF {@code severity_id}: 1 Informational, 2 Low, 3 Medium, 4 High. */
    static int ocsf(int cef) {
        return cef >= 7 ? 4 : cef >= 5 ? 3 : cef >= 3 ? 1 : 2;
    }
}
