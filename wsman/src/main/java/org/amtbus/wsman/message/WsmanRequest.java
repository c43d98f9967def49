package org.amtbus.wsman.message;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One WS-Man request. {@link #toXml()} writes the compact envelope in the header order Open AMT uses
 * (Action, To, ResourceURI, MessageID, ReplyTo, OperationTimeout, SelectorSet); {@code bodyXml} is the
 * already-escaped body content, written with prefixes {@code a} (addressing) and {@code w} (wsman) in scope.
 */
public record WsmanRequest(String action, String resourceUri, String messageId, List<Selector> selectors,
                           String bodyXml) {
    public static final String OPERATION_TIMEOUT = "PT60S";

    public WsmanRequest {
        if (action == null || action.isEmpty() || resourceUri == null || resourceUri.isEmpty()
                || messageId == null || messageId.isEmpty()) {
            throw new IllegalArgumentException("action, resourceUri and messageId are required");
        }
        selectors = List.copyOf(selectors);
        bodyXml = bodyXml == null ? "" : bodyXml;
    }

    public String toXml() {
        StringBuilder sb = new StringBuilder(768 + bodyXml.length());
        sb.append("<?xml version=\"1.0\" encoding=\"utf-8\"?>")
                .append("<Envelope xmlns=\"").append(Wsman.NS_SOAP).append("\" xmlns:a=\"").append(Wsman.NS_ADDRESSING)
                .append("\" xmlns:w=\"").append(Wsman.NS_WSMAN).append("\" xmlns:xsi=\"").append(Wsman.NS_XSI)
                .append("\" xmlns:xsd=\"").append(Wsman.NS_XSD).append("\">")
                .append("<Header>")
                .append("<a:Action>").append(XmlText.escape(action)).append("</a:Action>")
                .append("<a:To>").append(Wsman.TO).append("</a:To>")
                .append("<w:ResourceURI>").append(XmlText.escape(resourceUri)).append("</w:ResourceURI>")
                .append("<a:MessageID>").append(XmlText.escape(messageId)).append("</a:MessageID>")
                .append("<a:ReplyTo><a:Address>").append(Wsman.ANONYMOUS).append("</a:Address></a:ReplyTo>")
                .append("<w:OperationTimeout>").append(OPERATION_TIMEOUT).append("</w:OperationTimeout>");
        if (!selectors.isEmpty()) {
            sb.append("<w:SelectorSet>");
            for (Selector s : selectors) {
                sb.append("<w:Selector Name=\"").append(XmlText.escape(s.name())).append("\">")
                        .append(XmlText.escape(s.value())).append("</w:Selector>");
            }
            sb.append("</w:SelectorSet>");
        }
        sb.append("</Header><Body>").append(bodyXml).append("</Body></Envelope>");
        return sb.toString();
    }

    /** Action, resource and id only: bodies may carry passwords or password hashes. */
    @Override
    public String toString() {
        return "WsmanRequest[action=" + action + ", resourceUri=" + resourceUri + ", messageId=" + messageId + "]";
    }

    public byte[] toBytes() {
        return toXml().getBytes(StandardCharsets.UTF_8);
    }
}
