package org.amtbus.wsman.message;

import java.util.Optional;

/**
 * A SOAP 1.2 fault as AMT sends it: code (e.g. {@code a:Sender}), subcode (e.g.
 * {@code b:DestinationUnreachable}), reason text and detail text. Values are kept as received, each cut to
 * {@link #MAX_CHARS}.
 */
public record SoapFault(String code, String subcode, String reason, String detail) {
    public static final int MAX_CHARS = 256;

    public SoapFault {
        code = cut(code);
        subcode = cut(subcode);
        reason = cut(reason);
        detail = cut(detail);
    }

    private static String cut(String s) {
        if (s == null) {
            return "";
        }
        String clean = s.replaceAll("[\\x00-\\x1F\\x7F]", " ").strip();
        return clean.length() > MAX_CHARS ? clean.substring(0, MAX_CHARS) : clean;
    }

    static Optional<SoapFault> from(XmlElement body) {
        return body.child("Fault").filter(f -> Wsman.NS_SOAP.equals(f.namespace())).map(f -> new SoapFault(
                f.path("Code", "Value").map(XmlElement::text).orElse(""),
                f.path("Code", "Subcode", "Value").map(XmlElement::text).orElse(""),
                f.path("Reason", "Text").map(XmlElement::text).orElse(""),
                f.child("Detail").map(SoapFault::allText).orElse("")));
    }

    private static String allText(XmlElement e) {
        StringBuilder sb = new StringBuilder(e.text());
        for (XmlElement c : e.children()) {
            String t = allText(c);
            if (!t.isEmpty()) {
                sb.append(sb.isEmpty() ? "" : " ").append(t);
            }
        }
        return sb.toString();
    }

    /** One line for logs and results. */
    public String summary() {
        return (subcode.isEmpty() ? code : subcode) + (reason.isEmpty() ? "" : ": " + reason)
                + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
