package org.amtbus.wsman.message;

import java.util.Optional;

/**
 * A parsed SOAP envelope, request or response: the addressing header values and the body. Parsing goes
 * through {@link SafeXml}, so no DTD or entity is ever processed.
 */
public record WsmanEnvelope(String action, String resourceUri, String messageId, String relatesTo,
                            XmlElement header, XmlElement body) {

    public static WsmanEnvelope parse(byte[] xml) throws WsmanParseException {
        XmlElement root = SafeXml.parse(xml);
        if (!root.name().equals("Envelope") || !Wsman.NS_SOAP.equals(root.namespace())) {
            throw new WsmanParseException("root is not a SOAP 1.2 Envelope");
        }
        XmlElement header = root.child("Header").orElse(new XmlElement(Wsman.NS_SOAP, "Header",
                java.util.Map.of(), "", java.util.List.of()));
        XmlElement body = root.child("Body").orElseThrow(() -> new WsmanParseException("envelope has no Body"));
        return new WsmanEnvelope(
                header.childText("Action").orElse(""),
                header.childText("ResourceURI").orElse(""),
                header.childText("MessageID").orElse(""),
                header.childText("RelatesTo").orElse(""),
                header, body);
    }

    public Optional<SoapFault> fault() {
        return SoapFault.from(body);
    }

    /** Selector value from the header SelectorSet, if present. */
    public Optional<String> selector(String name) {
        return header.child("SelectorSet").stream().flatMap(s -> s.children("Selector").stream())
                .filter(s -> name.equals(s.attributes().get("Name"))).map(XmlElement::text).findFirst();
    }

    /** The first body element, if the body is not empty. */
    public Optional<XmlElement> payload() {
        return body.children().stream().findFirst();
    }
}
