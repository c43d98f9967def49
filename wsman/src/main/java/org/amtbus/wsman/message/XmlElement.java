package org.amtbus.wsman.message;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed element: namespace, local name, attributes by local name, its own text (trimmed) and children in
 * document order. Immutable. Lookups match local names, because AMT's prefixes vary by message.
 */
public record XmlElement(String namespace, String name, Map<String, String> attributes, String text,
                         List<XmlElement> children) {
    public XmlElement {
        attributes = Map.copyOf(attributes);
        children = List.copyOf(children);
        namespace = namespace == null ? "" : namespace;
        text = text == null ? "" : text;
    }

    public Optional<XmlElement> child(String localName) {
        return children.stream().filter(c -> c.name.equals(localName)).findFirst();
    }

    public List<XmlElement> children(String localName) {
        return children.stream().filter(c -> c.name.equals(localName)).toList();
    }

    /** The element reached by following child names, if every step exists. */
    public Optional<XmlElement> path(String... localNames) {
        Optional<XmlElement> at = Optional.of(this);
        for (String n : localNames) {
            at = at.flatMap(e -> e.child(n));
        }
        return at;
    }

    /** Text of the direct child {@code localName}, if present. */
    public Optional<String> childText(String localName) {
        return child(localName).map(XmlElement::text);
    }

    /** The first element named {@code localName} in depth-first order, this one included. */
    public Optional<XmlElement> find(String localName) {
        if (name.equals(localName)) {
            return Optional.of(this);
        }
        for (XmlElement c : children) {
            Optional<XmlElement> f = c.find(localName);
            if (f.isPresent()) {
                return f;
            }
        }
        return Optional.empty();
    }
}
