package org.amtbus.sim.amt;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.amtbus.wsman.message.Wsman;
import org.amtbus.wsman.message.XmlText;

/**
 * Writes answers the way AMT firmware does: namespaces declared on the Envelope, prefixes {@code a}
 * (SOAP), {@code b} (addressing), {@code c} (wsman), {@code g} (class or enumeration), {@code h} (items),
 * and {@code b:MessageID} = {@code uuid:00000000-8086-8086-8086-} plus 12 hex digits.
 */
final class AmtXml {
    private AmtXml() {
    }

    static String messageId(long n) {
        return String.format(Locale.ROOT, "uuid:00000000-8086-8086-8086-%012X", n);
    }

    static String envelope(String gNamespace, String hNamespace, String action, String relatesTo, long messageNumber,
                           String resourceUri, String body) {
        StringBuilder sb = new StringBuilder(1024 + body.length());
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                .append("<a:Envelope xmlns:a=\"").append(Wsman.NS_SOAP).append("\" xmlns:b=\"").append(Wsman.NS_ADDRESSING)
                .append("\" xmlns:c=\"").append(Wsman.NS_WSMAN).append('"');
        if (gNamespace != null) {
            sb.append(" xmlns:g=\"").append(gNamespace).append('"');
        }
        if (hNamespace != null) {
            sb.append(" xmlns:h=\"").append(hNamespace).append('"');
        }
        sb.append(" xmlns:xsi=\"").append(Wsman.NS_XSI).append("\"><a:Header>")
                .append("<b:To>").append(Wsman.ANONYMOUS).append("</b:To>")
                .append("<b:RelatesTo>").append(XmlText.escape(relatesTo)).append("</b:RelatesTo>")
                .append("<b:Action a:mustUnderstand=\"true\">").append(XmlText.escape(action)).append("</b:Action>")
                .append("<b:MessageID>").append(messageId(messageNumber)).append("</b:MessageID>");
        if (resourceUri != null) {
            sb.append("<c:ResourceURI>").append(XmlText.escape(resourceUri)).append("</c:ResourceURI>");
        }
        return sb.append("</a:Header><a:Body>").append(body).append("</a:Body></a:Envelope>").toString();
    }

    /** {@code <p:Class><p:Name>value</p:Name>...</p:Class>}; a List value repeats the element. */
    static String instance(String prefix, String className, Map<String, ?> properties) {
        StringBuilder sb = new StringBuilder("<").append(prefix).append(':').append(className).append('>');
        for (Map.Entry<String, ?> p : properties.entrySet()) {
            List<?> values = p.getValue() instanceof List<?> l ? l : List.of(p.getValue());
            for (Object v : values) {
                String text = String.valueOf(v);
                sb.append('<').append(prefix).append(':').append(p.getKey()).append('>')
                        .append(text.startsWith("<") ? text : XmlText.escape(text))
                        .append("</").append(prefix).append(':').append(p.getKey()).append('>');
            }
        }
        return sb.append("</").append(prefix).append(':').append(className).append('>').toString();
    }

    /** A raw-XML endpoint reference value (starts with '<' so {@link #instance} does not escape it). */
    static String reference(String resourceUri, Map<String, String> selectors) {
        StringBuilder sb = new StringBuilder("<b:Address>").append(Wsman.ANONYMOUS).append("</b:Address><b:ReferenceParameters>")
                .append("<c:ResourceURI>").append(resourceUri).append("</c:ResourceURI><c:SelectorSet>");
        selectors.forEach((k, v) -> sb.append("<c:Selector Name=\"").append(XmlText.escape(k)).append("\">")
                .append(XmlText.escape(v)).append("</c:Selector>"));
        return sb.append("</c:SelectorSet></b:ReferenceParameters>").toString();
    }

    static String fault(String relatesTo, long messageNumber, String subcode, String reason) {
        String body = "<a:Fault><a:Code><a:Value>a:Sender</a:Value><a:Subcode><a:Value>" + subcode
                + "</a:Value></a:Subcode></a:Code><a:Reason><a:Text xml:lang=\"en-US\">" + XmlText.escape(reason)
                + "</a:Text></a:Reason><a:Detail></a:Detail></a:Fault>";
        return envelope(null, null, Wsman.ACTION_FAULT, relatesTo, messageNumber, null, body);
    }
}
